// DDSketch quantiles and HyperLogLog distinct counts.
#include "su/agg/sketch.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

namespace su {

// ---- DDSketch ----------------------------------------------------------------

namespace {
constexpr double kMinMagnitude = 1e-300;
// The buckets are built for 0.999 alpha, so that the rounding of log() and
// pow() cannot push an estimate past the promised alpha.
const double kGamma = (1 + 0.999 * DDSketch::kAlpha) / (1 - 0.999 * DDSketch::kAlpha);
const double kLogGamma = std::log(kGamma);
}  // namespace

int32_t DDSketch::index_of(double m) {
  return int32_t(std::ceil(std::log(m) / kLogGamma));
}

double DDSketch::value_of(int32_t i) {
  return 2 * std::pow(kGamma, double(i)) / (kGamma + 1);
}

void DDSketch::Store::add(int32_t i, uint64_t n) {
  constexpr int max_buckets = kMaxBuckets;
  if (counts.empty()) {
    offset = i;
    counts.assign(1, n);
    return;
  }
  const int32_t hi = offset + int32_t(counts.size()) - 1;
  if (i > hi) {
    counts.resize(size_t(i - offset) + 1, 0);
  } else if (i < offset) {
    // Never grow below the lowest bucket the size limit allows.
    i = std::max(i, hi - max_buckets + 1);
    if (i < offset) {
      counts.insert(counts.begin(), size_t(offset - i), 0);
      offset = i;
    }
  }
  counts[size_t(i - offset)] += n;
  if (counts.size() > size_t(max_buckets)) {
    // Fold the smallest magnitudes into the lowest bucket that is kept.
    size_t k = counts.size() - size_t(max_buckets);
    uint64_t folded = 0;
    for (size_t j = 0; j <= k; ++j) folded += counts[j];
    counts.erase(counts.begin(), counts.begin() + std::ptrdiff_t(k));
    counts[0] = folded;
    offset += int32_t(k);
  }
}

void DDSketch::add(double x) {
  if (std::isnan(x)) return;
  ++count_;
  double m = std::fabs(x);
  if (m < kMinMagnitude) {
    ++zeros_;
    return;
  }
  m = std::min(m, std::numeric_limits<double>::max());
  (x > 0 ? pos_ : neg_).add(index_of(m), 1);
}

void DDSketch::merge(const DDSketch& o) {
  count_ += o.count_;
  zeros_ += o.zeros_;
  for (size_t j = 0; j < o.pos_.counts.size(); ++j)
    if (o.pos_.counts[j]) pos_.add(o.pos_.offset + int32_t(j), o.pos_.counts[j]);
  for (size_t j = 0; j < o.neg_.counts.size(); ++j)
    if (o.neg_.counts[j]) neg_.add(o.neg_.offset + int32_t(j), o.neg_.counts[j]);
}

double DDSketch::value_at_rank(uint64_t r) const {
  uint64_t cum = 0;
  for (size_t j = neg_.counts.size(); j-- > 0;) {
    cum += neg_.counts[j];
    if (cum > r) return -value_of(neg_.offset + int32_t(j));
  }
  cum += zeros_;
  if (cum > r) return 0;
  for (size_t j = 0; j < pos_.counts.size(); ++j) {
    cum += pos_.counts[j];
    if (cum > r) return value_of(pos_.offset + int32_t(j));
  }
  if (!pos_.counts.empty()) return value_of(pos_.offset + int32_t(pos_.counts.size()) - 1);
  return 0;
}

double DDSketch::percentile(double p) const {
  if (count_ == 0) return std::numeric_limits<double>::quiet_NaN();
  long double h = (long double)(count_ - 1) * p / 100;
  uint64_t lo = uint64_t(std::floor(h));
  if (lo >= count_ - 1) return value_at_rank(count_ - 1);
  long double t = h - (long double)lo;
  long double a = value_at_rank(lo);
  if (t == 0) return double(a);
  long double b = value_at_rank(lo + 1);
  return double(a + (b - a) * t);
}

size_t DDSketch::memory_bytes() const {
  return sizeof(*this) + (pos_.counts.capacity() + neg_.counts.capacity()) * sizeof(uint64_t);
}

void DDSketch::save(agg::StateWriter& w) const {
  w.varint(count_);
  w.varint(zeros_);
  for (const Store* st : {&pos_, &neg_}) {
    w.svarint(st->offset);
    w.varint(st->counts.size());
    for (uint64_t c : st->counts) w.varint(c);
  }
}

void DDSketch::load(agg::StateReader& r) {
  count_ = r.varint();
  zeros_ = r.varint();
  uint64_t total = zeros_;
  for (Store* st : {&pos_, &neg_}) {
    int64_t offset = r.svarint();
    uint64_t n = r.varint();
    // The offset bounds keep every index an int32, as index_of() makes them.
    if (n > uint64_t(kMaxBuckets) || offset < -100000 || offset > 100000)
      throw agg::StateError("_state has a bad DDSketch");
    st->offset = int32_t(offset);
    st->counts.resize(size_t(n));
    for (auto& c : st->counts) {
      c = r.varint();
      total += c;
    }
  }
  if (total != count_) throw agg::StateError("_state has a bad DDSketch");
}

// ---- HyperLogLog ---------------------------------------------------------------

void HyperLogLog::set_register(uint64_t h) {
  constexpr int q = 64 - kPrecision;
  size_t idx = size_t(h >> q);
  uint64_t w = h << kPrecision;
  uint8_t rho = w == 0 ? uint8_t(q + 1) : uint8_t(std::countl_zero(w) + 1);
  if (rho > registers_[idx]) registers_[idx] = rho;
}

void HyperLogLog::to_dense() {
  registers_.assign(kRegisters, 0);
  for (uint64_t h : sparse_)
    if (h) set_register(h);
  sparse_.clear();
  sparse_.shrink_to_fit();
  sparse_count_ = 0;
}

bool HyperLogLog::insert_sparse(uint64_t h) {
  if (h == 0) h = 1;
  if ((sparse_count_ + 1) * 2 > sparse_.size()) {
    std::vector<uint64_t> old(std::max<size_t>(4, sparse_.size() * 2), 0);
    old.swap(sparse_);
    sparse_count_ = 0;
    for (uint64_t x : old)
      if (x) insert_sparse(x);
  }
  const size_t mask = sparse_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    if (sparse_[i] == h) return false;
    if (sparse_[i] == 0) {
      sparse_[i] = h;
      ++sparse_count_;
      return true;
    }
  }
}

void HyperLogLog::add_hash(uint64_t h) {
  if (!registers_.empty()) return set_register(h);
  if (insert_sparse(h) && sparse_count_ > kSparseLimit) to_dense();
}

void HyperLogLog::merge(const HyperLogLog& o) {
  if (o.registers_.empty()) {
    for (uint64_t h : o.sparse_)
      if (h) add_hash(h);
    return;
  }
  if (registers_.empty()) to_dense();
  for (size_t i = 0; i < kRegisters; ++i) registers_[i] = std::max(registers_[i], o.registers_[i]);
}

void HyperLogLog::save(agg::StateWriter& w) const {
  if (registers_.empty()) {
    w.u8(0);
    w.varint(sparse_count_);
    for (uint64_t h : sparse_)
      if (h) w.fixed64(h);
    return;
  }
  w.u8(1);
  w.bytes(std::string_view(reinterpret_cast<const char*>(registers_.data()), registers_.size()));
}

void HyperLogLog::load(agg::StateReader& r) {
  constexpr int q = 64 - kPrecision;
  uint8_t mode = r.u8();
  if (mode == 0) {
    uint64_t n = r.varint();
    if (n > kSparseLimit) throw agg::StateError("_state has a bad HyperLogLog");
    for (uint64_t i = 0; i < n; ++i) add_hash(r.fixed64());
    return;
  }
  std::string_view regs = r.bytes();
  if (mode != 1 || regs.size() != kRegisters) throw agg::StateError("_state has a bad HyperLogLog");
  registers_.assign(regs.begin(), regs.end());
  for (uint8_t x : registers_)
    if (x > q + 1) throw agg::StateError("_state has a bad HyperLogLog");
  sparse_.clear();
  sparse_count_ = 0;
}

namespace {
double sigma(double x) {
  if (x == 1) return std::numeric_limits<double>::infinity();
  double y = 1, z = x, old;
  do {
    x *= x;
    old = z;
    z += x * y;
    y += y;
  } while (z != old);
  return z;
}

double tau(double x) {
  if (x == 0 || x == 1) return 0;
  double y = 1, z = 1 - x, old;
  do {
    x = std::sqrt(x);
    old = z;
    y *= 0.5;
    z -= (1 - x) * (1 - x) * y;
  } while (z != old);
  return z / 3;
}
}  // namespace

double HyperLogLog::estimate() const {
  if (registers_.empty()) return double(sparse_count_);
  constexpr int q = 64 - kPrecision;
  uint64_t c[q + 2] = {};
  for (uint8_t r : registers_) ++c[r];
  const double m = double(kRegisters);
  double z = m * tau(1 - double(c[q + 1]) / m);
  for (int k = q; k >= 1; --k) z = 0.5 * (z + double(c[k]));
  z += m * sigma(double(c[0]) / m);
  return m * m / (2 * std::log(2.0)) / z;
}

}  // namespace su
