// The one generic CSV scanning algorithm, included once per instruction set by
// csv_simd.cpp (like simdjson's src/generic/). Before including it, the
// including namespace defines the per-ISA primitives:
//   struct Block;                        64 input bytes in registers
//   Block load(const char* p);           loads 64 bytes (unaligned)
//   uint64_t eq(const Block&, char c);   bit i set when byte i == c
//   uint64_t prefix_xor(uint64_t m);     bit i = xor of bits 0..i of m
//   size_t popcount(uint64_t m);
// No include guard: this file is meant to be included several times.

// Bits [0, n) set, for the last, partial block.
inline uint64_t low_bits(size_t n) {
  return n >= 64 ? ~uint64_t(0) : (uint64_t(1) << n) - 1;
}

// Loads the last, partial block at p straight from memory when the 64 bytes
// stay inside p's page (the load cannot fault; the bytes past the end are
// masked off by the caller), else from a zero-padded copy. Short records, the
// common case, then cost no copy. Exempt from ASan: the over-read is on purpose.
__attribute__((no_sanitize("address"))) inline Block load_tail(const char* p, size_t n) {
  if ((reinterpret_cast<uintptr_t>(p) & 4095) <= 4096 - 64) return load(p);
  alignas(64) char tail[64] = {};
  std::memcpy(tail, p, n);
  return load(tail);
}

// Calls fn(block, base, valid_bits) for each 64-byte block of [p, p+n); in
// the last partial block only the bits of bytes before n are valid.
// fn returns false to stop early; walk then returns false.
template <class Fn>
inline bool walk(const char* p, size_t n, Fn&& fn) {
  size_t i = 0;
  for (; i + 64 <= n; i += 64)
    if (!fn(load(p + i), i, ~uint64_t(0))) return false;
  if (i < n && !fn(load_tail(p + i, n - i), i, low_bits(n - i))) return false;
  return true;
}

// All ones when the last bit of m is set (the state after this block).
inline uint64_t carry_of(uint64_t m) {
  return uint64_t(int64_t(m) >> 63);
}

// Appends base + index of each set bit of bits, in increasing order.
inline void append_bits(std::vector<uint32_t>& ends, uint32_t base, uint64_t bits) {
  while (bits) {  // records have few fields: push_back beats a resize
    ends.push_back(base + uint32_t(__builtin_ctzll(bits)));
    bits &= bits - 1;
  }
}

bool scan_watch(std::string_view rec, char delim, char quote, char watch, std::vector<uint32_t>& ends, bool* seen) {
  uint64_t inq = 0;  // all ones while inside quotes
  uint64_t watched = 0;
  walk(rec.data(), rec.size(), [&](const Block& b, size_t base, uint64_t valid) {
    uint64_t q = quote ? eq(b, quote) & valid : 0;
    watched |= (quote && watch == quote ? q : eq(b, watch) & valid);
    uint64_t d = eq(b, delim) & valid & ~q;
    // A quote opens or closes: the prefix xor marks the bytes inside quotes
    // (the opening quote included, the closing one not).
    uint64_t in = prefix_xor(q) ^ inq;
    inq = carry_of(in);
    append_bits(ends, uint32_t(base), d & ~in);
    return true;
  });
  ends.push_back(uint32_t(rec.size()));
  *seen = watched != 0;
  return inq == 0;
}

bool scan(std::string_view rec, char delim, char quote, std::vector<uint32_t>& ends) {
  bool seen;
  return scan_watch(rec, delim, quote, quote, ends, &seen);
}

size_t find_record_end(const char* p, size_t n, char quote, int* parity) {
  uint64_t inq = *parity ? ~uint64_t(0) : 0;
  size_t found = n;
  walk(p, n, [&](const Block& b, size_t base, uint64_t valid) {
    uint64_t in = prefix_xor(eq(b, quote) & valid) ^ inq;
    uint64_t nl = eq(b, '\n') & valid & ~in;
    if (nl) {
      found = base + size_t(__builtin_ctzll(nl));
      inq = 0;  // the record ends outside quotes
      return false;
    }
    inq = carry_of(in);
    return true;
  });
  *parity = inq ? 1 : 0;
  return found;
}

size_t count_byte(const char* p, size_t n, char c) {
  size_t k = 0;
  walk(p, n, [&](const Block& b, size_t, uint64_t valid) {
    k += popcount(eq(b, c) & valid);
    return true;
  });
  return k;
}
