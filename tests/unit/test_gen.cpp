// stream-gen's library: the seeded generator, the models' statistics, the
// model grammar, --rate, and the record and log-line formats.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "su/core/error.hpp"
#include "su/gen/generator.hpp"
#include "su/gen/model.hpp"
#include "su/gen/rate.hpp"
#include "su/gen/rng.hpp"
#include "su/time/timeparse.hpp"

using su::gen::Generator;
using su::gen::Model;
using su::gen::parse_model;
using su::gen::Rng;

namespace {

struct Stats {
  double mean = 0, sd = 0, lo = 1e300, hi = -1e300;
};

// Draws n values of a model (numbers) from seed 42.
Stats draw(const std::string& spec, int n, std::vector<double>* values = nullptr) {
  Model m = parse_model(spec);
  Rng rng(42);
  double state = su::gen::initial_state(m);
  double sum = 0, sq = 0;
  Stats s;
  for (int i = 0; i < n; ++i) {
    auto smp = su::gen::next_sample(m, rng, state);
    double v = smp.type == su::gen::Sample::Type::Int ? double(smp.i) : smp.d;
    if (values) values->push_back(v);
    sum += v;
    sq += v * v;
    s.lo = std::min(s.lo, v);
    s.hi = std::max(s.hi, v);
  }
  s.mean = sum / n;
  s.sd = std::sqrt(sq / n - s.mean * s.mean);
  return s;
}

std::string generate(su::gen::Spec spec, uint64_t seed, int ticks, int64_t t0 = 1795255200LL * 1'000'000'000,
                     int64_t step = 1'000'000'000) {
  Generator g(std::move(spec), seed);
  std::string out = g.header();
  for (int i = 0; i < ticks; ++i) g.tick(out, t0 + i * step);
  return out;
}

}  // namespace

TEST_CASE("rng: the same seed gives the same numbers, another seed others") {
  Rng a(7), b(7), c(8);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    uint64_t x = a.next();
    CHECK(x == b.next());
    differs |= x != c.next();
  }
  CHECK(differs);
  // Pinned: a change of algorithm would change every seeded output.
  Rng p(1);
  CHECK(p.next() == 0xb3f2af6d0fc710c5ULL);
}

TEST_CASE("rng: uniform, below and normal have their distributions") {
  Rng r(3);
  double sum = 0, sq = 0;
  int counts[6] = {};
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    double u = r.uniform();
    REQUIRE(u >= 0);
    REQUIRE(u < 1);
    counts[r.below(6)]++;
    double z = r.normal();
    sum += z;
    sq += z * z;
  }
  for (int c : counts) CHECK(std::abs(c - n / 6) < n / 6 * 0.03);
  CHECK(std::abs(sum / n) < 0.01);
  CHECK(std::abs(std::sqrt(sq / n) - 1) < 0.01);
}

TEST_CASE("models: uniform(30,70) stays in [30, 70) with mean 50 and sd 40/sqrt(12)") {
  Stats s = draw("h=uniform(30,70)", 100000);
  CHECK(s.lo >= 30);
  CHECK(s.hi < 70);
  CHECK(s.mean == doctest::Approx(50).epsilon(0.01));
  CHECK(s.sd == doctest::Approx(40 / std::sqrt(12.0)).epsilon(0.02));
}

TEST_CASE("models: normal(10,2) has mean 10 and sd 2") {
  Stats s = draw("x=normal(10,2)", 100000);
  CHECK(s.mean == doctest::Approx(10).epsilon(0.005));
  CHECK(s.sd == doctest::Approx(2).epsilon(0.02));
}

TEST_CASE("models: lognormal(3,0.8) has median e^3 and mean e^(3+0.32)") {
  std::vector<double> v;
  Stats s = draw("latency=lognormal(3,0.8)", 100000, &v);
  CHECK(s.lo > 0);
  std::nth_element(v.begin(), v.begin() + long(v.size() / 2), v.end());
  CHECK(v[v.size() / 2] == doctest::Approx(std::exp(3.0)).epsilon(0.02));
  CHECK(s.mean == doctest::Approx(std::exp(3.0 + 0.32)).epsilon(0.02));
}

TEST_CASE("models: walk(20,0.5) starts at 20 and moves by normal steps of sd 0.5") {
  std::vector<double> v;
  draw("t=walk(20,0.5)", 50000, &v);
  CHECK(v[0] == 20);
  double sum = 0, sq = 0;
  for (size_t i = 1; i < v.size(); ++i) {
    double d = v[i] - v[i - 1];
    sum += d;
    sq += d * d;
  }
  const double n = double(v.size() - 1);
  CHECK(std::abs(sum / n) < 0.01);
  CHECK(std::sqrt(sq / n) == doctest::Approx(0.5).epsilon(0.02));
}

TEST_CASE("models: int(1,6) gives every face, and only those, as integers") {
  Model m = parse_model("d=int(1,6)");
  Rng rng(5);
  double st = 0;
  std::map<int64_t, int> seen;
  for (int i = 0; i < 60000; ++i) {
    auto s = su::gen::next_sample(m, rng, st);
    REQUIRE(s.type == su::gen::Sample::Type::Int);
    seen[s.i]++;
  }
  CHECK(seen.size() == 6);
  CHECK(seen.begin()->first == 1);
  CHECK(seen.rbegin()->first == 6);
  for (auto [face, c] : seen) CHECK(std::abs(c - 10000) < 400);
}

TEST_CASE("models: choice(ok:90,warn:9,fail:1) follows its weights") {
  Model m = parse_model("status=choice(ok:90,warn:9,fail:1)");
  CHECK(m.json == std::vector<std::string>{"\"ok\"", "\"warn\"", "\"fail\""});
  Rng rng(11);
  double st = 0;
  int counts[3] = {};
  const int n = 100000;
  for (int i = 0; i < n; ++i) counts[su::gen::next_sample(m, rng, st).label]++;
  CHECK(counts[0] / double(n) == doctest::Approx(0.90).epsilon(0.01));
  CHECK(counts[1] / double(n) == doctest::Approx(0.09).epsilon(0.05));
  CHECK(counts[2] / double(n) == doctest::Approx(0.01).epsilon(0.15));
}

TEST_CASE("models: a choice label that is a number is written as one; weights default to 1") {
  Model m = parse_model("code=choice(200,404,x y)");
  CHECK(m.json == std::vector<std::string>{"200", "404", "\"x y\""});
  CHECK(m.cumulative[0] == doctest::Approx(1.0 / 3));
}

TEST_CASE("models: seq counts from START by STEP; integers when both are whole") {
  std::vector<double> v;
  draw("n=seq()", 4, &v);
  CHECK(v == std::vector<double>{0, 1, 2, 3});
  v.clear();
  draw("n=seq(10,5)", 3, &v);
  CHECK(v == std::vector<double>{10, 15, 20});
  CHECK(parse_model("n=seq(1)").integral);
  CHECK_FALSE(parse_model("n=seq(0,0.5)").integral);
}

TEST_CASE("models: bad specs are usage errors that say why") {
  CHECK_THROWS_AS(parse_model("walk(20,0.5)"), su::UsageError);
  CHECK_THROWS_WITH_AS(parse_model("t=wlak(1,2)"), doctest::Contains("unknown model 'wlak'"), su::UsageError);
  CHECK_THROWS_WITH_AS(parse_model("t=walk(20)"), doctest::Contains("walk(START,STEP)"), su::UsageError);
  CHECK_THROWS_WITH_AS(parse_model("t=uniform(5,1)"), doctest::Contains("HI is below LO"), su::UsageError);
  CHECK_THROWS_WITH_AS(parse_model("t=normal(a,1)"), doctest::Contains("'a' is not a number"), su::UsageError);
  CHECK_THROWS_AS(parse_model("t=choice(a:-1)"), su::UsageError);
  CHECK_THROWS_AS(parse_model("t=walk(1,2"), su::UsageError);
  CHECK_THROWS_AS(parse_model("=seq()"), su::UsageError);
}

TEST_CASE("rate: COUNT/PERIOD as nanoseconds between ticks") {
  CHECK(*su::gen::parse_rate("1/s") == doctest::Approx(1e9));
  CHECK(*su::gen::parse_rate("500/s") == doctest::Approx(2e6));
  CHECK(*su::gen::parse_rate("2/m") == doctest::Approx(30e9));
  CHECK(*su::gen::parse_rate("10/250ms") == doctest::Approx(25e6));
  CHECK_FALSE(su::gen::parse_rate("fast"));
  CHECK_FALSE(su::gen::parse_rate("0/s"));
  CHECK_FALSE(su::gen::parse_rate("5"));
  CHECK_FALSE(su::gen::parse_rate("5/x"));
}

TEST_CASE("generator: NDJSON with time, key and models in order, one record per key per tick") {
  su::gen::Spec spec;
  spec.key_field = "sensor";
  spec.keys = {"s1", "s2"};
  spec.models = {parse_model("n=seq()"), parse_model("status=choice(ok)")};
  CHECK(generate(spec, 1, 2) ==
        "{\"timestamp\":\"2026-11-21T10:00:00Z\",\"sensor\":\"s1\",\"n\":0,\"status\":\"ok\"}\n"
        "{\"timestamp\":\"2026-11-21T10:00:00Z\",\"sensor\":\"s2\",\"n\":0,\"status\":\"ok\"}\n"
        "{\"timestamp\":\"2026-11-21T10:00:01Z\",\"sensor\":\"s1\",\"n\":1,\"status\":\"ok\"}\n"
        "{\"timestamp\":\"2026-11-21T10:00:01Z\",\"sensor\":\"s2\",\"n\":1,\"status\":\"ok\"}\n");
}

TEST_CASE("generator: the same seed gives the same bytes, another seed others") {
  su::gen::Spec spec;
  spec.models = {parse_model("t=walk(20,0.5)"), parse_model("h=uniform(30,70)")};
  CHECK(generate(spec, 9, 100) == generate(spec, 9, 100));
  CHECK(generate(spec, 9, 100) != generate(spec, 10, 100));
}

TEST_CASE("generator: decimals round non-integer numbers") {
  su::gen::Spec spec;
  spec.time_field = "";
  spec.decimals = 1;
  spec.models = {parse_model("x=seq(0,0.25)")};
  CHECK(generate(spec, 1, 3) == "{\"x\":0}\n{\"x\":0.3}\n{\"x\":0.5}\n");
}

TEST_CASE("generator: CSV has a header and quotes what needs it; logfmt quotes values with spaces") {
  su::gen::Spec spec;
  spec.format = su::gen::Format::Csv;
  spec.models = {parse_model("m=choice(a\"b)"), parse_model("n=seq()")};
  CHECK(generate(spec, 1, 1) == "timestamp,m,n\n2026-11-21T10:00:00Z,\"a\"\"b\",0\n");
  spec.format = su::gen::Format::Logfmt;
  spec.models = {parse_model("msg=choice(hello world)"), parse_model("n=seq()")};
  CHECK(generate(spec, 1, 1) == "timestamp=2026-11-21T10:00:00Z msg=\"hello world\" n=0\n");
}

TEST_CASE("generator: combined and syslog lines, with a part replaced by a model") {
  su::gen::Spec spec;
  spec.format = su::gen::Format::Combined;
  spec.time_field = "";
  spec.models = {parse_model("status=choice(418)"), parse_model("path=choice(/tea)")};
  std::string line = generate(spec, 1, 1);
  CHECK(line.find(" [21/Nov/2026:10:00:00 +0000] \"") != std::string::npos);
  CHECK(line.find(" /tea HTTP/1.1\" 418 ") != std::string::npos);
  spec.models = {parse_model("bytes=choice(-)")};
  CHECK(generate(spec, 1, 1).find("\" 200 - \"") != std::string::npos);
  spec.format = su::gen::Format::Syslog;
  spec.models = {parse_model("host=choice(db9)"), parse_model("app=choice(cron)"), parse_model("pid=int(7,7)"),
                 parse_model("message=choice(done)")};
  CHECK(generate(spec, 1, 1, (1795255200LL - 20 * 86400) * 1'000'000'000) == "Nov  1 10:00:00 db9 cron[7]: done\n");
  spec.models = {parse_model("color=choice(red)")};
  CHECK_THROWS_WITH_AS(Generator(spec, 1), doctest::Contains("no such part"), su::UsageError);
}

TEST_CASE("generator: a field named twice is a usage error") {
  su::gen::Spec spec;
  spec.models = {parse_model("timestamp=seq()")};
  CHECK_THROWS_AS(Generator(spec, 1), su::UsageError);
}

TEST_CASE("generator: --disorder moves times back by at most D; --late moves a share back by 2D to 3D") {
  su::gen::Spec spec;
  spec.models = {parse_model("n=seq()")};
  spec.disorder_ns = 2'000'000'000;
  spec.late_fraction = 0.01;
  Generator g(spec, 3);
  const int64_t t0 = 1795255200LL * 1'000'000'000, step = 100'000'000;
  int late = 0, moved = 0;
  const int n = 20000;
  std::string out;
  for (int i = 0; i < n; ++i) {
    out.clear();
    g.tick(out, t0 + i * step);
    auto t = su::parse_rfc3339(out.substr(14, out.find('"', 14) - 14));
    REQUIRE(t);
    const int64_t back = t0 + i * step - *t;
    REQUIRE(back >= 0);
    if (back > spec.disorder_ns) {
      CHECK(back >= 2 * spec.disorder_ns);
      CHECK(back <= 3 * spec.disorder_ns);
      ++late;
    } else if (back > 0) {
      ++moved;
    }
  }
  CHECK(late == doctest::Approx(n * 0.01).epsilon(0.25));
  CHECK(moved > n * 0.9);
}
