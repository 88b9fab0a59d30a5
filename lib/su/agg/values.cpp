// Aggregates that look at the whole set of values: median and pNN (exact:
// every value kept; --approx: a DDSketch), distinct (exact set; --approx:
// HyperLogLog) and mode.
//
// Exact percentiles use linear interpolation between the closest ranks, the
// default of numpy.percentile ('linear'), R (type 7), Miller `stats1 -i` and
// Python statistics.quantiles(method='inclusive'): with the n values sorted
// as x[0..n-1] and h = (n-1)*p/100, the result is x[floor h] + (h - floor h) *
// (x[floor h + 1] - x[floor h]). The median is p50.
#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "su/agg/functions.hpp"
#include "su/agg/sketch.hpp"
#include "su/core/json_write.hpp"

namespace su::agg {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Reads a numeric value; false for values a numeric function must skip.
bool read_double(const Value& v, double* d, bool* skip) {
  *skip = false;
  if (v.is_null_or_missing()) return false;
  Value x;
  if (!as_number(v, x)) {
    *skip = true;
    return false;
  }
  *d = x.as_double();
  return true;
}

struct ExactPercentile {
  int64_t num, den;  // the percentile num/den, exactly
  using State = std::vector<double>;
  bool add(State& xs, const Value& v) const {
    double d;
    bool skip;
    if (read_double(v, &d, &skip)) xs.push_back(d);
    return !skip;
  }
  void write(State& xs, std::string& out) const {
    if (xs.empty()) return append_double(out, kNaN);
    // h = (n-1) * num / (100 den) = lo + t, with lo and t computed exactly
    // (t rounded once).
    const __int128 scaled = (__int128)(xs.size() - 1) * num, unit = (__int128)den * 100;
    size_t lo = std::min(size_t(scaled / unit), xs.size() - 1);
    long double t = (long double)(scaled % unit) / (long double)unit;
    std::nth_element(xs.begin(), xs.begin() + std::ptrdiff_t(lo), xs.end());
    long double a = xs[lo];
    if (t == 0 || lo + 1 >= xs.size()) return append_double(out, double(a));
    long double b = *std::min_element(xs.begin() + std::ptrdiff_t(lo) + 1, xs.end());
    append_double(out, double(a + (b - a) * t));
  }
};

struct ApproxPercentile {
  double p;
  using State = DDSketch;
  bool add(State& sk, const Value& v) const {
    double d;
    bool skip;
    if (read_double(v, &d, &skip)) sk.add(d);
    return !skip;
  }
  void write(State& sk, std::string& out) const { append_double(out, sk.percentile(p)); }
  void save(const State& sk, StateWriter& w) const { sk.save(w); }
  void load(State& sk, StateReader& r) const { sk.load(r); }
  void merge(State& sk, State& o) const { sk.merge(o); }
};

// distinct and mode compare values by their canonical JSON text: 1 and 1.0
// are the same value, "1" (a string) is another.
struct ExactDistinct {
  using State = std::unordered_set<std::string>;
  mutable std::string key;
  bool add(State& set, const Value& v) const {
    if (v.is_null_or_missing()) return true;
    key.clear();
    append_canonical(key, v);
    if (set.find(key) == set.end()) set.insert(key);
    return true;
  }
  void write(State& set, std::string& out) const { append_int(out, int64_t(set.size())); }
};

struct ApproxDistinct {
  using State = HyperLogLog;
  mutable std::string key;
  bool add(State& hll, const Value& v) const {
    if (v.is_null_or_missing()) return true;
    key.clear();
    append_canonical(key, v);
    hll.add(key);
    return true;
  }
  void write(State& hll, std::string& out) const { append_int(out, int64_t(std::llround(hll.estimate()))); }
  void save(const State& hll, StateWriter& w) const { hll.save(w); }
  void load(State& hll, StateReader& r) const { hll.load(r); }
  void merge(State& hll, State& o) const { hll.merge(o); }
};

struct ModeState {
  std::unordered_map<std::string, size_t> index;              // value -> position in seen
  std::vector<std::pair<const std::string*, uint64_t>> seen;  // first-seen order, counts
};

struct Mode {
  using State = ModeState;
  mutable std::string key;
  bool add(State& st, const Value& v) const {
    if (v.is_null_or_missing()) return true;
    key.clear();
    append_canonical(key, v);
    auto it = st.index.find(key);
    if (it == st.index.end()) {
      it = st.index.emplace(key, st.seen.size()).first;
      st.seen.emplace_back(&it->first, 0);
    }
    ++st.seen[it->second].second;
    return true;
  }
  void write(State& st, std::string& out) const {
    const std::string* best = nullptr;
    uint64_t n = 0;
    for (const auto& [value, count] : st.seen)
      if (count > n) {
        best = value;
        n = count;
      }
    out.append(best ? std::string_view(*best) : "null");
  }
};

template <class Impl, class... A>
std::unique_ptr<Function> make(A... a) {
  return std::make_unique<Adapter<Impl>>(a...);
}

}  // namespace

std::unique_ptr<Function> make_percentile(const Spec& spec, bool approx) {
  if (approx) return make<ApproxPercentile>(spec.param);
  return make<ExactPercentile>(spec.param_num, spec.param_den);
}

std::unique_ptr<Function> make_distinct(const Spec&, bool approx) {
  if (approx) return make<ApproxDistinct>();
  return make<ExactDistinct>();
}

std::unique_ptr<Function> make_mode(const Spec&, bool) {
  return make<Mode>();
}

}  // namespace su::agg
