// Aggregate functions, SPEC parsing, the group table and the field reader.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "su/agg/functions.hpp"
#include "su/agg/group.hpp"
#include "su/core/error.hpp"
#include "su/json/field_reader.hpp"

using su::Value;
using namespace su::agg;
using su::FieldReader;

namespace {
// Runs one SPEC over values and returns the JSON result.
std::string run(const std::string& spec, const std::vector<Value>& values, bool approx = false) {
  Spec s = parse_spec(spec);
  auto fn = make_function(s, approx);
  alignas(std::max_align_t) std::byte state[4096];
  REQUIRE(fn->state_size() <= sizeof state);
  fn->init(state);
  for (const auto& v : values) fn->add(state, v);
  std::string out;
  fn->write(state, out);
  fn->destroy(state);
  return out;
}
Value I(int64_t i) {
  return Value::integer(i);
}
Value D(double d) {
  return Value::real(d);
}
Value S(std::string_view s) {
  return Value::string(s);
}
}  // namespace

TEST_CASE("spec: default names, =NAME, percentiles") {
  CHECK(parse_spec("count").name == "count");
  CHECK(parse_spec("count:x").name == "x_count");
  CHECK(parse_spec("mean:temperature").name == "temperature_mean");
  CHECK(parse_spec("p99:latency=slowest").name == "slowest");
  Spec p = parse_spec("p99.9:latency");
  CHECK(p.name == "latency_p99.9");
  CHECK(p.param_num == 999);
  CHECK(p.param_den == 10);
  CHECK(parse_spec("median:x").param_num == 50);
}

TEST_CASE("spec: bad specs are usage errors") {
  CHECK_THROWS_AS(parse_spec("avg:x"), su::UsageError);
  CHECK_THROWS_AS(parse_spec("mean"), su::UsageError);
  CHECK_THROWS_AS(parse_spec("mean:"), su::UsageError);
  CHECK_THROWS_AS(parse_spec("mean:x="), su::UsageError);
  CHECK_THROWS_AS(parse_spec("p101:x"), su::UsageError);
  CHECK_THROWS_AS(parse_spec("p9x:x"), su::UsageError);
  CHECK(is_function("p0.5"));
  CHECK_FALSE(is_function("p"));
}

TEST_CASE("functions are looked up by name; pNN is a family of names") {
  CHECK(find_function("mean")->name == "mean");
  CHECK(find_function("median")->name == "median");
  CHECK(find_function("p0")->name == "pNN");
  CHECK(find_function("p99.9")->name == "pNN");
  CHECK(find_function("pNN") == nullptr);  // the row's name is not itself a function
  CHECK(find_function("p") == nullptr);
  CHECK(find_function("avg") == nullptr);
  for (const auto& f : function_table()) {
    INFO(f.name);
    if (f.matches)
      CHECK(!f.examples.empty());
    else
      CHECK(find_function(f.name) == &f);
    for (const auto& g : function_table())
      if (&f != &g) CHECK(f.name != g.name);
  }
  CHECK(parse_spec("median:x").param == 50);
  CHECK(parse_spec("p90:x").param == 90);
}

TEST_CASE("the function table drives the help text") {
  std::string h = functions_help();
  for (const auto& f : function_table()) CHECK(h.find(std::string(f.name)) != std::string::npos);
  CHECK(function_table().size() == 13);
}

TEST_CASE("count counts records; count:FIELD counts non-null values") {
  CHECK(run("count", {Value::missing(), Value::missing()}) == "2");
  CHECK(run("count:x", {I(1), Value::null(), Value::missing(), S("a")}) == "2");
}

TEST_CASE("sum: integers exact, overflow becomes a double, floats compensated") {
  CHECK(run("sum:x", {I(1), I(2), Value::null(), I(3)}) == "6");
  CHECK(run("sum:x", {}) == "0");
  CHECK(run("sum:x", {I(INT64_MAX), I(1)}) == "9.223372036854776e+18");       // 2^63 as a double
  CHECK(run("sum:x", {I(INT64_MAX), I(1), I(-1)}) == "9223372036854775807");  // exact again
  CHECK(run("sum:x", {D(1e100), D(1), D(-1e100)}) == "1");
  CHECK(run("sum:x", {D(0.1), D(0.2), D(0.3)}) == "0.6");  // naive: 0.6000000000000001
  CHECK(run("sum:x", {S("12"), S("0.5"), S("abc"), Value::boolean(true)}) == "12.5");
}

TEST_CASE("mean, var and stddev") {
  CHECK(run("mean:x", {I(1), I(4), I(7)}) == "4");
  CHECK(run("mean:x", {}) == "null");
  CHECK(run("var:x", {I(2), I(4), I(4), I(4), I(5), I(5), I(7), I(9)}) == "4.571428571428571");
  CHECK(run("stddev:x", {I(1), I(3)}) == "1.4142135623730951");
  CHECK(run("var:x", {I(1)}) == "null");
  // Welford stays exact far from zero where the textbook formula cancels.
  CHECK(run("var:x", {D(1e9 + 4), D(1e9 + 7), D(1e9 + 13), D(1e9 + 16)}) == "30");
}

TEST_CASE("min/max: numbers before strings; first/last any value") {
  CHECK(run("min:x", {I(3), D(-2.5), S("a")}) == "-2.5");
  CHECK(run("max:x", {I(3), D(-2.5), S("a")}) == "\"a\"");
  CHECK(run("max:x", {I(3), S("10")}) == "10");
  CHECK(run("min:x", {S("b"), S("B")}) == "\"B\"");
  CHECK(run("max:x", {I(INT64_MAX), D(9.2e18)}) == "9223372036854775807");
  CHECK(run("first:x", {Value::null(), S("q\"x"), I(2)}) == "\"q\\\"x\"");
  CHECK(run("last:x", {I(1), Value::json("{\"a\":1}"), Value::null()}) == "{\"a\":1}");
  CHECK(run("first:x", {}) == "null");
}

TEST_CASE("percentiles interpolate linearly like numpy's default") {
  std::vector<Value> v = {I(15), I(20), I(35), I(40), I(50)};
  CHECK(run("median:x", v) == "35");
  CHECK(run("p40:x", v) == "29");  // numpy.percentile([15,20,35,40,50], 40) == 29.0
  CHECK(run("p0:x", v) == "15");
  CHECK(run("p100:x", v) == "50");
  CHECK(run("median:x", {I(1), I(2), I(3), I(4)}) == "2.5");
  CHECK(run("p99.9:x", {I(0), I(1000)}) == "999");
  CHECK(run("median:x", {}) == "null");
}

TEST_CASE("distinct and mode compare canonical JSON values") {
  CHECK(run("distinct:x", {I(1), D(1.0), S("1"), Value::null(), S("a"), S("a")}) == "3");
  CHECK(run("mode:x", {S("a"), S("b"), S("b"), S("a")}) == "\"a\"");  // first seen among ties
  CHECK(run("mode:x", {I(2), D(3), D(3.0)}) == "3");
  CHECK(run("distinct:x", {S("a"), S("b"), S("a")}, true) == "2");
}

TEST_CASE("group table: first-seen order, close by match, slots reused") {
  std::vector<Spec> specs = {parse_spec("count"), parse_spec("sum:v")};
  GroupTable t({"window", "k"}, specs, false);
  su::RecordBuffer out;
  auto add = [&](std::string_view key, int64_t v) {
    std::byte* b = t.group(key);
    t.add(b, 0, Value::missing());
    t.add(b, 1, Value::integer(v));
  };
  add("1\n\"a\"", 1);
  add("1\n\"b\"", 2);
  add("2\n\"a\"", 3);
  add("1\n\"a\"", 4);
  CHECK(t.size() == 3);
  std::vector<std::optional<std::string>> want = {std::string("1"), std::nullopt};
  std::string& buf = out.buf();
  CHECK(t.close_matching(want, out) == 2);
  CHECK(buf ==
        "{\"window\":1,\"k\":\"a\",\"count\":2,\"v_sum\":5}\n{\"window\":1,\"k\":\"b\",\"count\":1,\"v_sum\":2}\n");
  buf.clear();
  CHECK(t.size() == 1);
  for (int i = 0; i < 5000; ++i) add("w\n" + std::to_string(i), i);  // grows and rehashes
  CHECK(t.size() == 5001);
  want = {std::string("w"), std::nullopt};
  CHECK(t.close_matching(want, out) == 5000);
  add("2\n\"a\"", 1);
  t.close_all(out);
  CHECK(buf.substr(buf.rfind('{')) == "{\"window\":2,\"k\":\"a\",\"count\":2,\"v_sum\":4}\n");
  CHECK(t.size() == 0);
}

TEST_CASE("group table: with --every, snapshots and results are told apart") {
  GroupTable t({"k"}, {parse_spec("count")}, false);
  t.mark_snapshots();
  t.add(t.group("\"a\""), 0, Value::missing());
  t.add(t.group(""), 0, Value::missing());
  su::RecordBuffer out;
  t.write_all(out);
  CHECK(out.buf() == "{\"k\":\"a\",\"count\":1,\"_snapshot\":true}\n{\"count\":1,\"_snapshot\":true}\n");
  out.buf().clear();
  t.close_matching({std::string("\"a\"")}, out);
  CHECK(out.buf() == "{\"k\":\"a\",\"count\":1,\"_snapshot\":false}\n");
  out.buf().clear();
  t.close_all(out);
  CHECK(out.buf() == "{\"count\":1,\"_snapshot\":false}\n");
}

TEST_CASE("group table: a state smaller than max_align_t (count alone)") {
  GroupTable t({"k"}, {parse_spec("count")}, false);
  su::RecordBuffer out;
  for (int i = 0; i < 3000; ++i) t.add(t.group(std::to_string(i % 1500)), 0, Value::missing());
  CHECK(t.size() == 1500);
  t.close_all(out);
  CHECK(out.buf().substr(0, 19) == "{\"k\":0,\"count\":2}\n{");
}

TEST_CASE("field reader: one pass, canonical key text, escapes, missing fields") {
  FieldReader r({"s", "v", "o", "w"});
  r.set_key_only(0);
  su::Line line;
  std::string text = R"({"x":1,"s":"a\u0062", "v" : 2.50 ,"o":{"a": [1, 2]},"s2":3})";
  text.append(64, ' ');
  line.text = std::string_view(text.data(), text.size() - 64);
  line.capacity = text.size();
  REQUIRE(r.read(line) == "");
  CHECK(r.text(0) == "\"ab\"");
  CHECK(r.text(1) == "2.5");  // numbers: equal values, equal text
  CHECK(r.value(1).kind == Value::Kind::Double);
  CHECK(r.text(2) == R"({"a": [1, 2]})");
  CHECK_FALSE(r.present(3));
  CHECK(r.value(3).kind == Value::Kind::Missing);
  line.text = "[1]";
  CHECK(r.read(line) == "not a JSON object");
}

// The reader of one record: a fresh padded line each time.
struct ReadOne {
  FieldReader r;
  std::string text;
  explicit ReadOne(std::vector<std::string> names) : r(std::move(names)) {}
  std::string read(std::string_view json) {
    text.assign(json);
    text.append(64, ' ');
    su::Line line;
    line.text = std::string_view(text.data(), json.size());
    line.capacity = text.size();
    return r.read(line);
  }
};

TEST_CASE("field reader: numbers that are equal have the same key text") {
  ReadOne one({"k"});
  auto key = [&](std::string_view v) {
    REQUIRE(one.read("{\"k\":" + std::string(v) + "}") == "");
    return std::string(one.r.text(0));
  };
  for (const char* v : {"1", "1.0", "1e0", "10e-1", "1.000", "0.1e1"}) CHECK(key(v) == "1");
  for (const char* v : {"0", "-0", "0.0", "-0.0", "0e5"}) CHECK(key(v) == "0");
  CHECK(key("-12") == "-12");
  CHECK(key("2.50") == "2.5");
  CHECK(key("1e3") == "1000");
  CHECK(key("1.5e-3") == "0.0015");
  CHECK(key("9223372036854775807") == "9223372036854775807");
  CHECK(key("9223372036854775808") == "9.223372036854776e+18");  // beyond int64: a double, as written back
  CHECK(key("9.223372036854775808e18") == "9.223372036854776e+18");
  CHECK(key("\"1.0\"") == "\"1.0\"");  // a string stays as written
}

TEST_CASE("field reader: of a name given twice in one object the last member counts") {
  ReadOne one({"a", "b"});
  REQUIRE(one.read(R"({"a":1,"b":2,"a":3})") == "");
  CHECK(one.r.value(0).i == 3);
  CHECK(one.r.text(0) == "3");
  CHECK(one.r.value(1).i == 2);
  ReadOne single({"t"});  // one name: the same rule
  REQUIRE(single.read(R"({"t":"x","u":0,"t":"y"})") == "");
  CHECK(single.r.value(0).s == "y");
}

TEST_CASE("field reader: a name no record had, with the closest name seen") {
  ReadOne one({"temprature", "sensor", "zzz", "geo.lat"});
  CHECK(one.r.never_found_warning(0, "temprature") == "");  // no record read yet
  REQUIRE(one.read(R"({"sensor":"a","temperature":1,"geo":{"lat":1}})") == "");
  REQUIRE(one.read(R"({"sensor":"b"})") == "");
  CHECK(one.r.never_found_warning(0, "temprature") == "no record had field 'temprature' (did you mean 'temperature'?)");
  CHECK(one.r.never_found_warning(1, "sensor") == "");
  CHECK(one.r.never_found_warning(2, "zzz") == "no record had field 'zzz'");
  CHECK(one.r.never_found_warning(3, "geo.lat") ==
        "no record had field 'geo.lat' (names are top-level members: 'geo' is not looked into; flatten it first, "
        "e.g. with jq)");
}

TEST_CASE("docs cannot drift: every function of the table is in the man page and completions") {
  auto slurp = [](const std::string& path) {
    std::string s;
    if (FILE* f = std::fopen(path.c_str(), "rb")) {
      char buf[4096];
      size_t n;
      while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
      std::fclose(f);
    }
    return s;
  };
  const std::string root = SOURCE_DIR;
  std::string man = slurp(root + "/man/stream-agg.1");
  std::string bash = slurp(root + "/completions/bash/stream-agg");
  std::string zsh = slurp(root + "/completions/zsh/_stream-agg");
  std::string fish = slurp(root + "/completions/fish/stream-agg.fish");
  REQUIRE(!man.empty());
  std::string functions = man.substr(man.find(".\\\" BEGIN GENERATED: functions"));
  functions = functions.substr(0, functions.find(".\\\" END GENERATED: functions"));
  for (const auto& f : function_table()) {
    std::string name(f.name);
    INFO(name);
    if (name == "pNN")
      CHECK(functions.find(".BI p NN\n") != std::string::npos);
    else
      CHECK(functions.find(".B " + name + "\n") != std::string::npos);
    // The completions offer FUNC: (or the family's examples), FUNC alone for count.
    std::string word = f.matches ? std::string(f.examples.substr(0, f.examples.find(' '))) : name;
    if (f.needs_field) word += ":";
    std::string in_bash = bash;  // the words, one per line
    for (char& c : in_bash)
      if (c == ' ' || c == '"') c = '\n';
    CHECK(in_bash.find("\n" + word + "\n") != std::string::npos);
    CHECK(fish.find(word) != std::string::npos);
    std::string zsh_word = f.needs_field ? word.substr(0, word.size() - 1) + "\\:" : word;  // 'mean\::help'
    CHECK(zsh.find("'" + zsh_word + ":") != std::string::npos);
  }
}
