// Mergeable aggregate states: the codec, the exact sum, and the group table's
// _state (emit, decode, merge). Random splits of the input merged in random
// orders give one process's results: bit for bit for the exact functions,
// within the documented bounds for the sketches.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "su/agg/group.hpp"
#include "su/agg/saved.hpp"
#include "su/agg/state.hpp"
#include "su/core/json_write.hpp"

using su::Value;
using namespace su::agg;

namespace {

std::vector<Spec> specs(const std::vector<std::string>& texts) {
  std::vector<Spec> v;
  for (const auto& t : texts) v.push_back(parse_spec(t));
  return v;
}

struct Item {
  std::string key;
  Value x;
  int64_t time;
};

// The result lines of a table fed items (with --emit-state when state).
std::string feed(GroupTable& t, const std::vector<Item>& items) {
  for (const auto& it : items) {
    t.set_time(it.time);
    std::byte* b = t.group(it.key);
    for (size_t c = 0; c < t.columns().size(); ++c) t.add(b, c, t.columns()[c].spec.field.empty() ? Value() : it.x);
  }
  su::RecordBuffer out;
  t.close_all(out);
  return out.buf();
}

// Splits result lines into (key text, _state bytes).
std::vector<std::pair<std::string, std::string>> states_of(const std::string& lines) {
  std::vector<std::pair<std::string, std::string>> v;
  size_t pos = 0;
  while (pos < lines.size()) {
    size_t nl = lines.find('\n', pos);
    std::string line = lines.substr(pos, nl - pos);
    pos = nl + 1;
    // {"g":KEY,...,"_state":"B64"}
    size_t colon = line.find(':'), comma = line.find(',');
    std::string key = line.substr(colon + 1, comma - colon - 1);
    size_t s = line.find("\"_state\":\"");
    REQUIRE(s != std::string::npos);
    s += 10;
    std::string b64 = line.substr(s, line.find('"', s) - s);
    std::string bytes;
    REQUIRE(su::decode_base64(b64, bytes));
    v.emplace_back(key, bytes);
  }
  return v;
}

std::string without_states(const std::string& lines) {
  std::string out;
  size_t pos = 0;
  while (pos < lines.size()) {
    size_t nl = lines.find('\n', pos);
    std::string line = lines.substr(pos, nl - pos);
    pos = nl + 1;
    size_t s = line.find(",\"_state\":");
    if (s != std::string::npos) line = line.substr(0, s) + "}";
    out += line + "\n";
  }
  return out;
}

// Values with cancellation, integers near the int64 edges, strings, nulls.
std::vector<Item> random_items(std::mt19937_64& rng, size_t n) {
  std::vector<Item> items;
  std::uniform_int_distribution<int> kind(0, 9), group(0, 4);
  std::uniform_real_distribution<double> u(-1, 1);
  for (size_t i = 0; i < n; ++i) {
    Item it;
    it.key = "\"g" + std::to_string(group(rng)) + "\"";
    it.time = int64_t(i);
    switch (kind(rng)) {
      case 0:
        it.x = Value::integer(int64_t(rng() >> 2) * (rng() & 1 ? 1 : -1));
        break;
      case 1:
        it.x = Value::real(u(rng) * 1e16);
        break;
      case 2:
        it.x = Value::real(u(rng) * 1e-8);
        break;
      case 3:
        it.x = Value::null();
        break;
      case 4:
        it.x = Value::integer(int64_t(rng() % 1000));
        break;
      default:
        it.x = Value::real(0.1 * double(rng() % 100) + u(rng));
        break;
    }
    items.push_back(it);
  }
  return items;
}

}  // namespace

TEST_CASE("base64 decodes what append_base64 wrote, and refuses the rest") {
  std::mt19937_64 rng(7);
  for (size_t n = 0; n < 40; ++n) {
    std::string bytes;
    for (size_t i = 0; i < n; ++i) bytes.push_back(char(rng()));
    std::string b64, back;
    su::append_base64(b64, bytes);
    REQUIRE(su::decode_base64(b64, back));
    CHECK(back == bytes);
  }
  std::string out;
  CHECK_FALSE(su::decode_base64("abc", out));         // length
  CHECK_FALSE(su::decode_base64("ab!d", out));        // character
  CHECK_FALSE(su::decode_base64("a===", out));        // too much padding
  CHECK_FALSE(su::decode_base64("ab=d", out));        // padding inside
  CHECK_FALSE(su::decode_base64("QR==", out));        // bits under the padding
  CHECK_FALSE(su::decode_base64("QUJD\nQQ==", out));  // whitespace
}

TEST_CASE("varints and doubles round-trip; a truncated state is an error") {
  std::string b;
  StateWriter w(b);
  w.varint(0);
  w.varint(~uint64_t(0));
  w.svarint(-5);
  w.svarint(INT64_MIN);
  w.f64(-0.0);
  w.i128(-(__int128(1) << 100));
  w.bytes("abc");
  StateReader r(b);
  CHECK(r.varint() == 0);
  CHECK(r.varint() == ~uint64_t(0));
  CHECK(r.svarint() == -5);
  CHECK(r.svarint() == INT64_MIN);
  double z = r.f64();
  CHECK((z == 0 && std::signbit(z)));
  CHECK(r.i128() == -(__int128(1) << 100));
  CHECK(r.bytes() == "abc");
  CHECK(r.done());
  StateReader cut(std::string_view(b).substr(0, b.size() - 1));
  cut.varint();
  cut.varint();
  cut.svarint();
  cut.svarint();
  cut.f64();
  cut.i128();
  CHECK_THROWS_AS(cut.bytes(), StateError);
}

TEST_CASE("exact sum: correctly rounded whatever the order") {
  std::vector<double> xs = {1e300, 3.5, -1e300, 1e-300, 5e-324, 1e16, 1.0, -1e16, 0.1, 0.2, 0.3};
  ExactSum a;
  for (double x : xs) a.add(x);
  CHECK(a.round() == 3.5 + 1.0 + 0.6000000000000001);  // 0.1+0.2+0.3 exactly is 0.6000000000000000055...
  std::mt19937_64 rng(3);
  for (int i = 0; i < 50; ++i) {
    std::shuffle(xs.begin(), xs.end(), rng);
    ExactSum b, c;
    for (size_t j = 0; j < xs.size(); ++j) (j % 2 ? b : c).add(xs[j]);
    c.add(b);
    CHECK(c.round() == a.round());
    CHECK(c.round_long() == a.round_long());
    CHECK(c.canonical() == a.canonical());
  }
  ExactSum big;
  big.add_integer(__int128(INT64_MAX) * 3 + 1);
  CHECK(big.round() == double(__int128(INT64_MAX) * 3 + 1));
  ExactSum inf;
  inf.add(INFINITY);
  inf.add(-INFINITY);
  CHECK(std::isnan(inf.round()));
}

TEST_CASE("merging random splits in random orders equals one process, bit for bit") {
  const std::vector<std::string> texts = {"count", "count:x", "sum:x",    "mean:x",  "min:x",
                                          "max:x", "var:x",   "stddev:x", "first:x", "last:x"};
  std::mt19937_64 rng(42);
  for (int round = 0; round < 30; ++round) {
    auto items = random_items(rng, 200 + size_t(rng() % 300));
    GroupTable one({"g"}, specs(texts), false);
    one.emit_state();
    const std::string want = feed(one, items);

    // Contiguous splits into 1..6 parts (first and last merge by time);
    // each part emits states; they are merged in a random order.
    size_t parts = 1 + rng() % 6;
    std::vector<size_t> cuts = {0, items.size()};
    for (size_t p = 1; p < parts; ++p) cuts.push_back(rng() % items.size());
    std::sort(cuts.begin(), cuts.end());
    std::vector<std::pair<std::string, std::string>> all;
    for (size_t p = 0; p + 1 < cuts.size(); ++p) {
      GroupTable part({"g"}, specs(texts), false);
      part.emit_state();
      auto st = states_of(feed(part, {items.begin() + long(cuts[p]), items.begin() + long(cuts[p + 1])}));
      all.insert(all.end(), st.begin(), st.end());
    }
    std::shuffle(all.begin(), all.end(), rng);
    GroupTable merged({"g"}, specs(texts), false);
    for (const auto& [key, bytes] : all) merged.merge(key, bytes);
    merged.emit_state();
    // Groups come out in first-seen order: compare sorted lines.
    auto sorted = [](std::string s) {
      std::vector<std::string> lines;
      size_t pos = 0;
      while (pos < s.size()) {
        size_t nl = s.find('\n', pos);
        lines.push_back(s.substr(pos, nl - pos));
        pos = nl + 1;
      }
      std::sort(lines.begin(), lines.end());
      return lines;
    };
    const std::string got = [&] {
      su::RecordBuffer out;
      merged.close_all(out);
      return out.buf();
    }();
    CHECK(sorted(without_states(got)) == sorted(without_states(want)));
    // A state re-merged (trees of merges) changes nothing either.
    GroupTable again({"g"}, specs(texts), false);
    for (const auto& [key, bytes] : states_of(got)) again.merge(key, bytes);
    su::RecordBuffer out2;
    again.close_all(out2);
    CHECK(sorted(without_states(out2.buf())) == sorted(without_states(want)));
  }
}

TEST_CASE("merged sketches: percentiles and distinct as one process, within bounds of the exact") {
  const std::vector<std::string> texts = {"p50:x", "p99:x", "distinct:x"};
  std::mt19937_64 rng(5);
  std::lognormal_distribution<double> ln(1, 2);
  std::vector<Item> items;
  std::vector<double> xs;
  for (int i = 0; i < 20000; ++i) {
    double x = ln(rng);
    xs.push_back(x);
    items.push_back({"\"a\"", Value::real(x), i});
  }
  GroupTable one({"g"}, specs(texts), true);
  one.emit_state();
  const std::string want = without_states(feed(one, items));
  std::shuffle(items.begin(), items.end(), rng);
  std::vector<std::pair<std::string, std::string>> all;
  for (size_t p = 0; p < 4; ++p) {
    GroupTable part({"g"}, specs(texts), true);
    part.emit_state();
    auto st = states_of(feed(part, {items.begin() + long(p * 5000), items.begin() + long((p + 1) * 5000)}));
    all.insert(all.end(), st.begin(), st.end());
  }
  std::shuffle(all.begin(), all.end(), rng);
  GroupTable merged({"g"}, specs(texts), true);
  for (const auto& [key, bytes] : all) merged.merge(key, bytes);
  su::RecordBuffer out;
  merged.close_all(out);
  CHECK(out.buf() == want);
  // The values themselves: within 1% of the exact percentiles, distinct
  // within 3 standard errors.
  std::sort(xs.begin(), xs.end());
  double p50 = 0, p99 = 0;
  long long distinct = 0;
  REQUIRE(std::sscanf(out.buf().c_str(), "{\"g\":\"a\",\"x_p50\":%lf,\"x_p99\":%lf,\"x_distinct\":%lld", &p50, &p99,
                      &distinct) == 3);
  auto exact = [&](double p) {
    double h = double(xs.size() - 1) * p / 100;
    size_t lo = size_t(h);
    return xs[lo] + (h - double(lo)) * (xs[lo + 1] - xs[lo]);
  };
  CHECK(std::fabs(p50 - exact(50)) <= 0.01 * exact(50));
  CHECK(std::fabs(p99 - exact(99)) <= 0.01 * exact(99));
  CHECK(std::fabs(double(distinct) - 20000) <= 3 * 0.0081 * 20000);
}

TEST_CASE("a state of other SPECs, another version or bad bytes is refused and changes nothing") {
  GroupTable part({"g"}, specs({"sum:x", "max:x"}), false);
  part.emit_state();
  auto st = states_of(feed(part, {{"\"a\"", Value::integer(5), 0}}));
  REQUIRE(st.size() == 1);
  const std::string good = st[0].second;

  GroupTable other({"g"}, specs({"sum:x", "min:x"}), false);
  CHECK_THROWS_WITH_AS(other.merge("\"a\"", good),
                       "_state made by other SPECs or --approx than these (give --merge the parts' SPECs)", StateError);
  GroupTable approx({"g"}, specs({"sum:x", "max:x"}), true);
  CHECK_THROWS_AS(approx.merge("\"a\"", good), StateError);

  GroupTable t({"g"}, specs({"sum:x", "max:x"}), false);
  std::string v2 = good;
  v2[0] = 2;
  CHECK_THROWS_AS(t.merge("\"a\"", v2), StateError);
  for (size_t cut = 0; cut < good.size(); ++cut) CHECK_THROWS_AS(t.merge("\"a\"", good.substr(0, cut)), StateError);
  CHECK_THROWS_AS(t.merge("\"a\"", good + "x"), StateError);
  CHECK(t.size() == 0);  // no group made by a refused state
  t.merge("\"a\"", good);
  t.merge("\"a\"", good);
  su::RecordBuffer out;
  t.close_all(out);
  CHECK(out.buf() == "{\"g\":\"a\",\"x_sum\":10,\"x_max\":5}\n");
}

TEST_CASE("--emit-state refuses the functions that keep every value, naming --approx") {
  GroupTable exact({"g"}, specs({"count", "p99:x"}), false);
  CHECK_THROWS_WITH(exact.emit_state(), "--emit-state: 'p99:x' keeps every value and cannot be merged; use --approx");
  GroupTable distinct({"g"}, specs({"distinct:x"}), false);
  CHECK_THROWS(distinct.emit_state());
  GroupTable mode({"g"}, specs({"mode:x"}), true);
  CHECK_THROWS_WITH(mode.emit_state(),
                    "--emit-state: 'mode:x' keeps every value and cannot be merged (--approx has no mode either; "
                    "leave it out)");
  GroupTable approx({"g"}, specs({"p99:x", "median:x", "distinct:x"}), true);
  CHECK_NOTHROW(approx.emit_state());
}

TEST_CASE("a saved group alone: read, merged, saved again, its values written") {
  GroupTable t({"g"}, specs({"count", "sum:x=total", "max:x"}), false);
  t.emit_state();
  auto a = states_of(feed(t, {{"\"a\"", Value::integer(5), 0}, {"\"a\"", Value::real(0.5), 1}}));
  auto b = states_of(feed(t, {{"\"a\"", Value::integer(7), 2}}));
  SavedGroup stored(a[0].second), incoming(b[0].second);
  stored.merge(incoming);
  REQUIRE(stored.size() == 3);
  std::string values;
  for (size_t i = 0; i < stored.size(); ++i) {
    values += stored.name(i) + "=";
    stored.write_value(i, values);
    values += " ";
  }
  CHECK(values == "count=3 total=12.5 x_max=7 ");
  SavedGroup again(stored.save());
  std::string total;
  again.write_value(1, total);
  CHECK(total == "12.5");

  GroupTable other({"g"}, specs({"count", "sum:y", "max:x"}), false);
  other.emit_state();
  auto c = states_of(feed(other, {{"\"a\"", Value::integer(1), 0}}));
  SavedGroup wrong(c[0].second);
  CHECK_THROWS_AS(stored.merge(wrong), StateError);
  CHECK_THROWS_AS(SavedGroup(std::string_view(a[0].second).substr(0, 5)), StateError);
}

TEST_CASE("a saved first or last value must be one JSON value: it is written into results as it is") {
  auto saved_first = [](std::string_view json) {
    std::string one, env;
    StateWriter w(one);
    w.u8(1);
    w.svarint(0);
    w.bytes(json);
    append_envelope_header(env, false, 1);
    append_envelope_column(env, "first:x=x_first", one);
    return env;
  };
  GroupTable t({"g"}, specs({"first:x"}), false);
  CHECK_THROWS_WITH_AS(t.merge("\"a\"", saved_first("1,\"evil\":2")), "_state has a bad first or last value",
                       StateError);
  CHECK_THROWS_AS(t.merge("\"a\"", saved_first("{\"a\":")), StateError);
  CHECK_THROWS_AS(t.merge("\"a\"", saved_first("")), StateError);
  t.merge("\"a\"", saved_first("{\"a\":[1,\"x\"]}"));
  su::RecordBuffer out;
  t.close_all(out);
  CHECK(out.buf() == "{\"g\":\"a\",\"x_first\":{\"a\":[1,\"x\"]}}\n");
}
