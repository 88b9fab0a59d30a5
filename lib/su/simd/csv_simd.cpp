// SIMD CSV kernels and their run-time dispatch. One generic algorithm
// (csv_simd_generic.inl: compare-to-mask, prefix xor of the quote mask, the
// in-quote state carried across 64-byte blocks, tzcnt loops) over small
// per-ISA primitives: AVX2 (+PCLMUL for the prefix xor) via target pragmas,
// SSE2 (x86-64 baseline, shift-based prefix xor), and the scalar twins.
// No -march flags: the AVX2 code only runs after a CPU check.
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "su/simd/csv_kernels.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace su {

bool csv_scan_scalar(std::string_view rec, char delim, char quote, std::vector<uint32_t>& ends) {
  bool inq = false;
  const char* p = rec.data();
  for (size_t i = 0; i < rec.size(); ++i) {
    char c = p[i];
    if (quote && c == quote)
      inq = !inq;
    else if (c == delim && !inq)
      ends.push_back(uint32_t(i));
  }
  ends.push_back(uint32_t(rec.size()));
  return !inq;
}

// ---- scalar twins -------------------------------------------------------
namespace scalar {

bool scan_watch(std::string_view rec, char delim, char quote, char watch, std::vector<uint32_t>& ends, bool* seen) {
  *seen = !rec.empty() && std::memchr(rec.data(), watch, rec.size()) != nullptr;
  return csv_scan_scalar(rec, delim, quote, ends);
}

size_t find_record_end(const char* p, size_t n, char quote, int* parity) {
  int par = *parity;
  for (size_t i = 0; i < n; ++i) {
    char c = p[i];
    if (c == quote)
      par ^= 1;
    else if (c == '\n' && par == 0) {
      *parity = 0;
      return i;
    }
  }
  *parity = par;
  return n;
}

size_t count_byte(const char* p, size_t n, char c) {
  size_t k = 0;
  for (size_t i = 0; i < n; ++i) k += (p[i] == c);
  return k;
}

}  // namespace scalar

#if defined(__x86_64__)

// ---- SSE2: baseline x86-64 ----------------------------------------------
namespace sse2 {

struct Block {
  __m128i v[4];
};
__attribute__((always_inline)) inline Block load(const char* p) {
  return {{_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)),
           _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16)),
           _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 32)),
           _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 48))}};
}
inline uint64_t eq(const Block& b, char c) {
  const __m128i k = _mm_set1_epi8(c);
  uint64_t m0 = uint32_t(_mm_movemask_epi8(_mm_cmpeq_epi8(b.v[0], k)));
  uint64_t m1 = uint32_t(_mm_movemask_epi8(_mm_cmpeq_epi8(b.v[1], k)));
  uint64_t m2 = uint32_t(_mm_movemask_epi8(_mm_cmpeq_epi8(b.v[2], k)));
  uint64_t m3 = uint32_t(_mm_movemask_epi8(_mm_cmpeq_epi8(b.v[3], k)));
  return m0 | (m1 << 16) | (m2 << 32) | (m3 << 48);
}
inline uint64_t prefix_xor(uint64_t m) {
  m ^= m << 1;
  m ^= m << 2;
  m ^= m << 4;
  m ^= m << 8;
  m ^= m << 16;
  m ^= m << 32;
  return m;
}
inline size_t popcount(uint64_t m) {
  return size_t(__builtin_popcountll(m));
}

#include "su/simd/csv_simd_generic.inl"

}  // namespace sse2

// ---- AVX2 + PCLMUL + BMI + POPCNT ---------------------------------------
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,pclmul,bmi,popcnt"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,pclmul,bmi,popcnt")
#endif
namespace avx2 {

struct Block {
  __m256i lo, hi;
};
__attribute__((always_inline)) inline Block load(const char* p) {
  return {_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)),
          _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32))};
}
inline uint64_t eq(const Block& b, char c) {
  const __m256i k = _mm256_set1_epi8(c);
  uint64_t lo = uint32_t(_mm256_movemask_epi8(_mm256_cmpeq_epi8(b.lo, k)));
  uint64_t hi = uint32_t(_mm256_movemask_epi8(_mm256_cmpeq_epi8(b.hi, k)));
  return lo | (hi << 32);
}
// Carry-less multiply by all ones: bit i of the product is the xor of bits 0..i.
inline uint64_t prefix_xor(uint64_t m) {
  return uint64_t(_mm_cvtsi128_si64(_mm_clmulepi64_si128(_mm_set_epi64x(0, int64_t(m)), _mm_set1_epi8(char(0xFF)), 0)));
}
inline size_t popcount(uint64_t m) {
  return size_t(_mm_popcnt_u64(m));
}

#include "su/simd/csv_simd_generic.inl"

}  // namespace avx2
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#endif  // __x86_64__

// ---- dispatch -----------------------------------------------------------
namespace {

struct Entry {
  CsvKernels kernels;
  bool (*supported)();
};

#if defined(__x86_64__)
bool has_avx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("bmi") &&
         __builtin_cpu_supports("popcnt");
}
#endif
bool always() {
  return true;
}

// Best first: the default choice is the first supported entry.
const Entry kEntries[] = {
#if defined(__x86_64__)
    {{"avx2", avx2::scan, avx2::scan_watch, avx2::find_record_end, avx2::count_byte}, has_avx2},
    {{"sse2", sse2::scan, sse2::scan_watch, sse2::find_record_end, sse2::count_byte}, always},
#endif
    {{"scalar", csv_scan_scalar, scalar::scan_watch, scalar::find_record_end, scalar::count_byte}, always},
};

const CsvKernels& choose() {
  const char* forced = std::getenv("STREAM_UTILS_SIMD");
  if (forced && *forced)
    if (const CsvKernels* k = csv_kernels_by_name(forced)) return *k;
  for (const Entry& e : kEntries)
    if (e.supported()) return e.kernels;
  return kEntries[std::size(kEntries) - 1].kernels;
}

}  // namespace

const CsvKernels* csv_kernels_by_name(std::string_view name) {
  for (const Entry& e : kEntries)
    if (name == e.kernels.name) return e.supported() ? &e.kernels : nullptr;
  return nullptr;
}

std::vector<const CsvKernels*> csv_kernels_available() {
  std::vector<const CsvKernels*> out;
  for (const Entry& e : kEntries)
    if (e.supported()) out.push_back(&e.kernels);
  return out;
}

const CsvKernels& csv_kernels() {
  static const CsvKernels& chosen = choose();
  return chosen;
}

CsvScanFn csv_scan_impl() {
  return csv_kernels().scan;
}
const char* csv_scan_impl_name() {
  return csv_kernels().name;
}
CsvScanFn csv_scan_impl_by_name(std::string_view name) {
  const CsvKernels* k = csv_kernels_by_name(name);
  return k ? k->scan : nullptr;
}

}  // namespace su
