// Bounded-memory, mergeable sketches for `stream-agg --approx`: DDSketch for
// quantiles (relative-error guarantee) and HyperLogLog for distinct counts
// (their hash: su/core/hash.hpp, shared with the group table).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "su/agg/state.hpp"
#include "su/core/hash.hpp"

namespace su {

// DDSketch (Masson, Rim, Lee, VLDB 2019) with a relative accuracy alpha: every
// value x is counted in the bucket i = ceil(log_gamma |x|), gamma =
// (1+alpha)/(1-alpha), whose representative 2*gamma^i/(gamma+1) is within
// alpha*|x| of x. Each sign has a dense store of at most max_buckets buckets;
// beyond that the buckets of the smallest magnitudes are folded together (the
// bound then no longer holds for those values only). |x| < 1e-300 counts as 0.
class DDSketch {
 public:
  static constexpr double kAlpha = 0.01;
  static constexpr int kMaxBuckets = 2048;

  void add(double x);
  // Adds every value of other. The result is the sketch of the union of both
  // inputs.
  void merge(const DDSketch& other);
  uint64_t count() const { return count_; }
  // The sketch's estimate of the value of rank r (0-based, 0 <= r < count):
  // within alpha relative of the exact order statistic.
  double value_at_rank(uint64_t r) const;
  // Percentile p in [0, 100] with linear interpolation between the two
  // neighbouring ranks (h = (n-1)*p/100), like the exact functions: for inputs
  // of one sign the estimate is within alpha*|exact| of the exact result.
  double percentile(double p) const;
  size_t memory_bytes() const;
  // The saved state (su/agg/state.hpp): count, zeros, then each store's
  // offset and counts. load() reads into an empty sketch; throws StateError.
  void save(agg::StateWriter& w) const;
  void load(agg::StateReader& r);

 private:
  struct Store {  // counts of buckets [offset, offset + counts.size())
    int32_t offset = 0;
    std::vector<uint64_t> counts;
    void add(int32_t index, uint64_t n);
  };
  static int32_t index_of(double magnitude);
  static double value_of(int32_t index);

  uint64_t count_ = 0, zeros_ = 0;
  Store pos_, neg_;
};

// HyperLogLog with 2^14 registers (standard error 1.04/sqrt(16384) = 0.81%)
// and Ertl's improved estimator (2017), which needs no bias tables. Exact up
// to kSparseLimit distinct values: until then it keeps the 64-bit hashes.
class HyperLogLog {
 public:
  static constexpr int kPrecision = 14;
  static constexpr size_t kRegisters = size_t(1) << kPrecision;
  static constexpr size_t kSparseLimit = 1024;

  void add_hash(uint64_t h);
  void add(std::string_view bytes) { add_hash(hash_bytes(bytes, 0x9e3779b97f4a7c15ULL)); }
  void merge(const HyperLogLog& other);
  double estimate() const;
  bool exact() const { return registers_.empty(); }
  size_t memory_bytes() const { return sparse_.capacity() * 8 + registers_.capacity(); }
  // The saved state: 0 and the distinct hashes while exact, or 1 and the
  // registers. load() reads into an empty one; throws StateError.
  void save(agg::StateWriter& w) const;
  void load(agg::StateReader& r);

 private:
  void to_dense();
  void set_register(uint64_t h);
  bool insert_sparse(uint64_t h);  // false when already there
  // While exact: an open-addressing set of the distinct hashes (0 = empty
  // slot; a hash of 0 is stored as 1), at most half full.
  std::vector<uint64_t> sparse_;
  size_t sparse_count_ = 0;
  std::vector<uint8_t> registers_;  // dense registers once past kSparseLimit
};

}  // namespace su
