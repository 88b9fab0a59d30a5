// DDSketch and HyperLogLog: error bounds on skewed data, merging, memory.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "su/agg/sketch.hpp"

namespace {
struct Lcg {  // deterministic uniform numbers in (0, 1)
  uint64_t x;
  double next() {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double(x >> 11) + 0.5) / 9007199254740992.0;
  }
};

double exact_percentile(std::vector<double> xs, double p) {
  std::sort(xs.begin(), xs.end());
  double h = double(xs.size() - 1) * p / 100;
  size_t lo = size_t(h);
  if (lo + 1 >= xs.size()) return xs[lo];
  return xs[lo] + (h - double(lo)) * (xs[lo + 1] - xs[lo]);
}
}  // namespace

TEST_CASE("ddsketch: every percentile within 1% on lognormal data") {
  Lcg r{1};
  su::DDSketch sk;
  std::vector<double> xs;
  for (int i = 0; i < 100000; ++i) {
    double z = std::sqrt(-2 * std::log(r.next())) * std::cos(2 * M_PI * r.next());
    xs.push_back(std::exp(1 + 2 * z));
    sk.add(xs.back());
  }
  for (double p : {0.0, 1.0, 10.0, 50.0, 90.0, 99.0, 99.9, 100.0}) {
    double want = exact_percentile(xs, p);
    CHECK(std::fabs(sk.percentile(p) - want) <= 0.01 * want);
  }
  CHECK(sk.memory_bytes() < 64 * 1024);
}

TEST_CASE("ddsketch: negative values, zeros, merge equals one sketch of both") {
  su::DDSketch a, b, all;
  std::vector<double> xs;
  Lcg r{7};
  for (int i = 0; i < 20000; ++i) {
    double x = -1 / r.next();  // Pareto tail on the negative side
    if (i % 10 == 0) x = 0;
    xs.push_back(x);
    (i % 3 ? a : b).add(x);
    all.add(x);
  }
  a.merge(b);
  CHECK(a.count() == all.count());
  for (double p : {0.0, 5.0, 50.0, 95.0, 100.0}) {
    CHECK(a.percentile(p) == all.percentile(p));
    double want = exact_percentile(xs, p);
    CHECK(std::fabs(a.percentile(p) - want) <= 0.01 * std::fabs(want));
  }
}

TEST_CASE("ddsketch: memory stays bounded over any range") {
  su::DDSketch sk;
  for (int e = -300; e <= 300; ++e) sk.add(std::pow(10.0, e));
  CHECK(sk.memory_bytes() <= 2 * 2048 * 8 + 256);
  CHECK(sk.percentile(100) == doctest::Approx(1e300).epsilon(0.01));
  CHECK(std::isnan(su::DDSketch().percentile(50)));
}

TEST_CASE("hyperloglog: exact while small, within 3 standard errors after") {
  su::HyperLogLog h;
  for (int i = 0; i < 1000; ++i) h.add("id" + std::to_string(i % 700));
  CHECK(h.exact());
  CHECK(h.estimate() == 700);
  for (size_t n : {2000u, 20000u, 200000u, 1000000u}) {
    su::HyperLogLog g;
    Lcg r{n};
    for (size_t i = 0; i < n * 3; ++i) {
      // Zipf-like repeats: small ids often, every id in [0, n) at least once
      size_t id = i < n ? i : size_t(double(n) * std::pow(r.next(), 4));
      g.add(std::to_string(id));
    }
    CHECK(std::fabs(g.estimate() - double(n)) <= 3 * 0.0081 * double(n));
    CHECK(g.memory_bytes() <= 16384 + 64);
  }
}

TEST_CASE("hyperloglog: merge is the union") {
  su::HyperLogLog a, b, u;
  for (int i = 0; i < 50000; ++i) {
    std::string k = std::to_string(i);
    (i < 30000 ? a : b).add(k);
    if (i >= 20000) b.add(k);
    u.add(k);
  }
  a.merge(b);
  CHECK(a.estimate() == u.estimate());
}

TEST_CASE("hash: different inputs differ, lengths matter") {
  std::set<uint64_t> seen;
  for (int i = 0; i < 100000; ++i) seen.insert(su::hash_bytes(std::to_string(i)));
  CHECK(seen.size() == 100000);
  CHECK(su::hash_bytes(std::string_view("a\0", 2)) != su::hash_bytes("a"));
  CHECK(su::hash_bytes("") != su::hash_bytes(std::string_view("\0", 1)));
}
