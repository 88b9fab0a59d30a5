// The byte codec of saved states and the exact sum of doubles (see state.hpp).
#include "su/agg/state.hpp"

#include <cmath>
#include <cstring>
#include <utility>

namespace su::agg {

void StateWriter::varint(uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(char(v | 0x80));
    v >>= 7;
  }
  out_.push_back(char(v));
}

void StateWriter::fixed32(uint32_t v) {
  for (int i = 0; i < 4; ++i) out_.push_back(char(v >> (8 * i)));
}

void StateWriter::fixed64(uint64_t v) {
  for (int i = 0; i < 8; ++i) out_.push_back(char(v >> (8 * i)));
}

void StateWriter::f64(double v) {
  uint64_t u;
  std::memcpy(&u, &v, 8);
  fixed64(u);
}

void StateWriter::i128(__int128 v) {
  fixed64(uint64_t(v));
  fixed64(uint64_t(v >> 64));
}

void StateWriter::bytes(std::string_view b) {
  varint(b.size());
  out_.append(b);
}

std::string_view StateReader::take(size_t n) {
  if (in_.size() - pos_ < n) throw StateError("_state is truncated");
  std::string_view s = in_.substr(pos_, n);
  pos_ += n;
  return s;
}

uint8_t StateReader::u8() {
  return uint8_t(take(1)[0]);
}

uint64_t StateReader::varint() {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    uint8_t b = u8();
    v |= uint64_t(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
  }
  throw StateError("_state has a bad number");
}

uint32_t StateReader::fixed32() {
  std::string_view s = take(4);
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= uint32_t(uint8_t(s[size_t(i)])) << (8 * i);
  return v;
}

uint64_t StateReader::fixed64() {
  std::string_view s = take(8);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= uint64_t(uint8_t(s[size_t(i)])) << (8 * i);
  return v;
}

double StateReader::f64() {
  uint64_t u = fixed64();
  double d;
  std::memcpy(&d, &u, 8);
  return d;
}

__int128 StateReader::i128() {
  uint64_t lo = fixed64();
  uint64_t hi = fixed64();
  return __int128((unsigned __int128)hi << 64 | lo);
}

std::string_view StateReader::bytes() {
  uint64_t n = varint();
  if (n > in_.size() - pos_) throw StateError("_state is truncated");
  return take(size_t(n));
}

void StateReader::expect_end() const {
  if (pos_ != in_.size()) throw StateError("_state has bytes left over");
}

// ---- Envelope -------------------------------------------------------------------

void append_envelope_header(std::string& out, bool approx, size_t columns) {
  StateWriter w(out);
  w.u8(kStateVersion);
  w.u8(approx ? 1 : 0);
  w.varint(columns);
}

void append_envelope_column(std::string& out, std::string_view spec, std::string_view state) {
  StateWriter w(out);
  w.bytes(spec);
  w.bytes(state);
}

Envelope read_envelope(std::string_view bytes) {
  StateReader r(bytes);
  if (bytes.empty() || r.u8() != kStateVersion)
    throw StateError("_state of an unknown version (this version reads version " + std::to_string(kStateVersion) + ")");
  Envelope e;
  uint8_t flags = r.u8();
  if (flags > 1) throw StateError("_state has unknown flags");
  e.approx = flags & 1;
  uint64_t n = r.varint();
  if (n > bytes.size()) throw StateError("_state is truncated");
  for (uint64_t i = 0; i < n; ++i) {
    Envelope::Column c;
    c.spec = r.bytes();
    c.state = r.bytes();
    e.columns.push_back(c);
  }
  r.expect_end();
  return e;
}

// ---- ExactSum -------------------------------------------------------------------

void ExactSum::add(double x) {
  if (!std::isfinite(x)) {
    special_ += x;
    return;
  }
  size_t i = 0;
  for (double y : partials_) {
    if (std::fabs(x) < std::fabs(y)) std::swap(x, y);
    double hi = x + y;
    double lo = y - (hi - x);
    if (lo != 0) partials_[i++] = lo;
    x = hi;
  }
  partials_.resize(i);
  if (!std::isfinite(x)) {  // beyond the double range: as a plain sum would be
    special_ += x;
    return;
  }
  if (x != 0) partials_.push_back(x);
}

void ExactSum::add(const ExactSum& o) {
  special_ += o.special_;
  for (double p : o.partials_) add(p);
}

void ExactSum::add_integer(__int128 v) {
  // Three pieces of at most 43 bits, each an exact double.
  constexpr int kBits = 43;
  constexpr __int128 kMask = (__int128(1) << kBits) - 1;
  const bool neg = v < 0;
  unsigned __int128 m = neg ? (unsigned __int128)(-(v + 1)) + 1 : (unsigned __int128)v;
  for (int k = 0; k < 3 && m; ++k) {
    double piece = std::ldexp(double(uint64_t(m & (unsigned __int128)kMask)), k * kBits);
    add(neg ? -piece : piece);
    m >>= kBits;
  }
}

void ExactSum::add_product(double a, double b) {
  double p = a * b;
  if (!std::isfinite(p)) return add(p);
  add(p);
  add(std::fma(a, b, -p));
}

double ExactSum::round() const {
  if (special_ != 0 || std::isnan(special_)) return special_;
  size_t n = partials_.size();
  if (n == 0) return 0;
  double hi = partials_[--n], lo = 0;
  while (n > 0) {
    double x = hi, y = partials_[--n];
    hi = x + y;
    double yr = hi - x;
    lo = y - yr;
    if (lo != 0) break;
  }
  // Half-way cases: round to even would go the wrong way when the rest has
  // the sign of lo.
  if (n > 0 && ((lo < 0 && partials_[n - 1] < 0) || (lo > 0 && partials_[n - 1] > 0))) {
    double y = lo * 2, x = hi + y;
    if (y == x - hi) hi = x;
  }
  return hi;
}

long double ExactSum::round_long() const {
  double hi = round();
  if (!std::isfinite(hi)) return hi;
  ExactSum rest = *this;
  rest.add(-hi);
  return (long double)hi + (long double)rest.round();
}

std::vector<double> ExactSum::canonical() const {
  std::vector<double> out;
  ExactSum rest = *this;
  for (int i = 0; i < 64; ++i) {
    double h = rest.round();
    if (h == 0) break;
    out.push_back(h);
    if (!std::isfinite(h)) break;
    rest.add(-h);
  }
  return out;
}

void ExactSum::save(StateWriter& w) const {
  w.f64(special_);
  w.varint(partials_.size());
  for (double p : partials_) w.f64(p);
}

void ExactSum::load(StateReader& r) {
  special_ = r.f64();
  uint64_t n = r.varint();
  if (n > 64) throw StateError("_state has a bad sum");
  partials_.clear();
  // Added one by one: a sum is exact whatever its saved partials look like.
  for (uint64_t i = 0; i < n; ++i) {
    double p = r.f64();
    if (!std::isfinite(p)) throw StateError("_state has a bad sum");
    add(p);
  }
}

}  // namespace su::agg
