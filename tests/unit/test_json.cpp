// NDJSON helpers: control-record detection, parse/validate errors, and
// On-Demand values to su::Value for each JSON type.
#include <doctest/doctest.h>

#include <string>

#include "su/core/line.hpp"
#include "su/json/control.hpp"
#include "su/json/field_reader.hpp"
#include "su/json/json.hpp"

TEST_CASE("is_control_line: first member _control, white space allowed") {
  CHECK(su::control::is_control_line("{\"_control\":\"flush\"}"));
  CHECK(su::control::is_control_line("  {  \"_control\" : 1}"));
  CHECK(su::control::is_control_line("\t{\r\n\"_control\":{}}"));
  CHECK_FALSE(su::control::is_control_line("{\"a\":1,\"_control\":1}"));
  CHECK_FALSE(su::control::is_control_line("{\"_controller\":1}"));
  CHECK_FALSE(su::control::is_control_line("[\"_control\"]"));
  CHECK_FALSE(su::control::is_control_line(""));
  CHECK_FALSE(su::control::is_control_line("{"));
}

TEST_CASE("JsonLineParser::parse: objects pass, other documents are rejected") {
  su::JsonLineParser p;
  simdjson::ondemand::document doc;
  CHECK(p.parse(std::string_view("{\"a\":1}"), doc) == "");
  CHECK(p.parse(std::string_view("[1,2]"), doc) == "not a JSON object");
  CHECK(p.parse(std::string_view("42"), doc) == "not a JSON object");
  std::string err = p.parse(std::string_view("{\"a\":"), doc);
  if (!err.empty()) CHECK(err.rfind("invalid JSON: ", 0) == 0);
}

TEST_CASE("JsonLineParser::parse: a Line with padding is parsed in place") {
  std::string buf = "{\"k\":\"v\"}";
  buf.resize(buf.size() + su::kInputPadding + 64, ' ');
  su::Line line;
  line.text = std::string_view(buf.data(), 9);
  line.capacity = buf.size();
  su::JsonLineParser p;
  simdjson::ondemand::document doc;
  REQUIRE(p.parse(line, doc) == "");
  std::string_view v;
  CHECK(doc["k"].get_string().get(v) == simdjson::SUCCESS);
  CHECK(v == "v");
}

TEST_CASE("JsonLineParser::validate: every value is checked") {
  su::JsonLineParser p;
  CHECK(p.validate("{\"a\":[1,{\"b\":null}],\"c\":\"x\"}") == "");
  CHECK(p.validate("{\"a\":tru}").rfind("invalid JSON: ", 0) == 0);
  CHECK(p.validate("{\"a\":1,}").rfind("invalid JSON: ", 0) == 0);
  CHECK(p.validate("{\"a\":\"\xFF\"}").rfind("invalid JSON: ", 0) == 0);  // bad UTF-8
  CHECK(p.validate("{\"a\":1} x").rfind("invalid JSON: ", 0) == 0);
  CHECK(p.validate("").rfind("invalid JSON: ", 0) == 0);
  CHECK(p.validate("\"s\"") == "not a JSON object");
  simdjson::dom::element el;
  REQUIRE(p.validate("{\"n\":5}", &el) == "");
  int64_t n = 0;
  CHECK(el["n"].get_int64().get(n) == simdjson::SUCCESS);
  CHECK(n == 5);
}

TEST_CASE("to_value: each JSON type") {
  su::JsonLineParser p;
  simdjson::ondemand::document doc;
  std::string line =
      "{\"n\":null,\"t\":true,\"f\":false,\"i\":-12,\"big\":18446744073709551615,"
      "\"d\":2.5,\"s\":\"a\\\"b\\u00e9\",\"o\":{\"x\":[1, 2]} ,\"a\":[1, {\"y\":2}],\"huge\":1e999999}";
  REQUIRE(p.parse(std::string_view(line), doc) == "");
  simdjson::ondemand::object obj;
  REQUIRE(doc.get_object().get(obj) == simdjson::SUCCESS);
  int seen = 0;
  for (auto field : obj) {
    std::string_view key;
    REQUIRE(field.unescaped_key().get(key) == simdjson::SUCCESS);
    su::Value v;
    simdjson::error_code e = su::to_value(field.value(), v);
    INFO(std::string(key));
    ++seen;
    if (key == "n") CHECK(v.kind == su::Value::Kind::Null);
    if (key == "t") CHECK((v.kind == su::Value::Kind::Bool && v.b));
    if (key == "f") CHECK((v.kind == su::Value::Kind::Bool && !v.b));
    if (key == "i") CHECK((v.kind == su::Value::Kind::Int && v.i == -12));
    if (key == "big") CHECK((v.kind == su::Value::Kind::Double && v.d == 18446744073709551615.0));
    if (key == "huge") CHECK(e != simdjson::SUCCESS);  // out of range: an error, not a crash
    if (key == "d") CHECK((v.kind == su::Value::Kind::Double && v.d == 2.5));
    if (key == "s") CHECK((v.kind == su::Value::Kind::String && v.s == "a\"b\xC3\xA9"));
    if (key == "o") CHECK((v.kind == su::Value::Kind::Json && v.s == "{\"x\":[1, 2]}"));
    if (key == "a") CHECK((v.kind == su::Value::Kind::Json && v.s == "[1, {\"y\":2}]"));
    if (key == "huge") break;
  }
  CHECK(seen == 10);
}

TEST_CASE("checkpoint records: written and read back, unknown members kept out, bad ones named") {
  su::control::Checkpoint c;
  c.source = "/var/log/a \"b\".log";
  c.file = "2049:1234:1024:00000000deadbeef";
  c.offset = 1048576;
  c.line = 9000;
  c.size = 2000000;
  c.watermark = "\"2026-11-21T10:00:00Z\"";
  std::string text;
  su::control::append_checkpoint(text, c);
  CHECK(text ==
        "{\"_control\":\"checkpoint\",\"source\":\"/var/log/a \\\"b\\\".log\",\"file\":\"2049:1234:1024:"
        "00000000deadbeef\",\"offset\":1048576,\"line\":9000,\"size\":2000000,\"watermark\":\"2026-11-21T10:00:00Z\"}"
        "\n");
  text.pop_back();
  su::Line l;
  l.text = text;
  std::string padded = text + std::string(su::kInputPadding, '\0');
  l.text = std::string_view(padded.data(), text.size());
  l.capacity = padded.size();
  su::FieldReader reader({});
  su::control::Record r;
  REQUIRE(su::control::read(l, reader, r).empty());
  CHECK(r.kind == su::control::Kind::Checkpoint);
  su::control::Checkpoint back;
  REQUIRE(su::control::read_checkpoint(r, back).empty());
  CHECK(back.source == c.source);
  CHECK(back.file == c.file);
  CHECK(back.offset == c.offset);
  CHECK(back.line == c.line);
  CHECK(back.size == c.size);
  CHECK(back.watermark == c.watermark);
  CHECK(back.replay_watermark.empty());

  r.members = {{"source", "\"x\""}, {"file", "\"1:2:3:4\""}};
  CHECK(su::control::read_checkpoint(r, back).find("without") != std::string::npos);
  r.members.push_back({"offset", "-1"});
  CHECK(su::control::read_checkpoint(r, back) == "checkpoint: bad \"offset\": -1");
}

namespace {
// The fields of a DOM read equal those of an On-Demand read of the same
// record: presence, canonical text and value (mode 1: keys only, whose
// string values On-Demand may not keep).
void check_same_fields(const su::FieldReader& od, const su::FieldReader& dom, const std::vector<std::string>& names,
                       int mode) {
  for (size_t i = 0; i < names.size(); ++i) {
    CAPTURE(names[i]);
    CAPTURE(mode);
    REQUIRE(od.present(i) == dom.present(i));
    CHECK(od.text(i) == dom.text(i));
    const su::Value &a = od.value(i), &b = dom.value(i);
    if (mode == 1 && (a.kind == su::Value::Kind::Missing || b.kind == su::Value::Kind::Missing)) continue;
    CHECK(a.kind == b.kind);
    std::string ta, tb;
    su::append_value(ta, a);
    su::append_value(tb, b);
    CHECK(ta == tb);
  }
}

// A record read through On-Demand and through the DOM gives the same fields:
// presence, canonical text and value, for each way a field can be wanted.
void check_dom_reads_alike(const std::string& text) {
  CAPTURE(text);
  std::string padded = text + std::string(su::kInputPadding, '\0');
  su::Line l;
  l.text = std::string_view(padded.data(), text.size());
  l.capacity = padded.size();
  const std::vector<std::string> names = {"k", "v", "t", "x", "ü\"", "dup"};
  for (int mode = 0; mode < 3; ++mode) {  // 0: key and value, 1: key only, 2: value only
    su::FieldReader od(names), dom(names);
    for (size_t i = 0; i < names.size(); ++i) {
      if (mode == 1) od.set_key_only(i), dom.set_key_only(i);
      if (mode == 2) od.set_value_only(i), dom.set_value_only(i);
    }
    REQUIRE(od.read(l).empty());
    simdjson::dom::parser parser;
    simdjson::dom::element el;
    REQUIRE(!parser.parse(padded.data(), text.size(), false).get(el));
    REQUIRE(dom.read(el).empty());
    check_same_fields(od, dom, names, mode);
  }
}
}  // namespace

TEST_CASE("FieldReader: the DOM path reads what the On-Demand path reads") {
  for (const char* t : {
           R"({"k":"s1","v":21.5,"t":"2026-11-21T10:00:00Z"})",
           R"({"k":"a\"b\\c\u00e9\n","v":-0,"x":true,"t":null})",
           R"({"k":"\u0041\/","v":1.0,"x":1e0,"t":-0.0})",
           R"({"k":12,"v":9223372036854775807,"x":9223372036854775808,"t":18446744073709551615})",
           R"({"k":-12.50e-3,"v":1E+2,"x":0.1,"t":123456789012345678})",
           R"({"k":"ünï \u2028 ✓","ü\"":"q","dup":1,"dup":"two"})",
           R"({"other":{"k":1},"k":false,"v":"not a number"})",
           R"({"k":"é","v":"a\"b","x":"\\","t":"\u0001"})",
           R"({"k":"12345678","v":"1234567\"","x":"1234567é","t":"123456789"})",
           R"({"k":"","v":"\/","x":"~\u007f","t":"\u0080"})",
           R"({})",
       })
    check_dom_reads_alike(t);
}

namespace {
// One DOM reader reads the records in turn (its shape cache carries over from
// record to record) and each gives what a fresh On-Demand read of the same
// line gives, also after own() when the parser's buffer has been overwritten.
void check_dom_stream(const std::vector<std::string>& names, const std::vector<std::string>& records) {
  for (int mode = 0; mode < 3; ++mode) {  // 0: key and value, 1: key only, 2: value only
    su::FieldReader dom(names);
    for (size_t i = 0; i < names.size(); ++i) {
      if (mode == 1) dom.set_key_only(i);
      if (mode == 2) dom.set_value_only(i);
    }
    simdjson::dom::parser parser;
    for (size_t r = 0; r < records.size(); ++r) {
      const std::string& text = records[r];
      CAPTURE(mode);
      CAPTURE(r);
      CAPTURE(text);
      std::string padded = text + std::string(su::kInputPadding, '\0');
      su::Line l;
      l.text = std::string_view(padded.data(), text.size());
      l.capacity = padded.size();
      su::FieldReader od(names);
      for (size_t i = 0; i < names.size(); ++i) {
        if (mode == 1) od.set_key_only(i);
        if (mode == 2) od.set_value_only(i);
      }
      REQUIRE(od.read(l).empty());
      od.own(l.text);
      simdjson::dom::element el;
      REQUIRE(!parser.parse(padded.data(), text.size(), false).get(el));
      REQUIRE(dom.read(el).empty());
      dom.own(l.text);
      // The next document reuses the string buffer: what was owned stays.
      std::string other = R"({"zzzzzzzzzzzz":"overwritten overwritten overwritten overwritten"})";
      std::string other_padded = other + std::string(su::kInputPadding, '\0');
      REQUIRE(!parser.parse(other_padded.data(), other.size(), false).get(el));
      check_same_fields(od, dom, names, mode);
    }
  }
}
}  // namespace

TEST_CASE("FieldReader: the DOM read's shape cache, record after record") {
  const std::vector<std::string> names = {"time", "sensor", "temperature", "a_rather_long_field_name_1"};
  SUBCASE("the same shape") {
    std::vector<std::string> recs;
    for (int i = 0; i < 20; ++i)
      recs.push_back(R"({"time":"2026-11-21T10:00:0)" + std::to_string(i % 10) + R"(Z","sensor":"s)" +
                     std::to_string(i) + R"(","temperature":)" + std::to_string(i) +
                     R"(.5,"humidity":59.4,"status":"ok"})");
    check_dom_stream(names, recs);
  }
  SUBCASE("the shape changes mid-stream") {
    check_dom_stream(names, {
                                R"({"time":"t1","sensor":"s1","temperature":1.5,"status":"ok"})",
                                R"({"time":"t2","sensor":"s2","temperature":2.5,"status":"ok"})",
                                R"({"sensor":"s3","time":"t3","status":"ok","temperature":3})",
                                R"({"temperature":4,"extra":[1,2],"sensor":"s4"})",
                                R"({"time":"t5","sensor":"s5","temperature":5.5,"status":"ok","more":1,"time":"t5b"})",
                                R"({"time":"t6"})",
                                R"({})",
                                R"({"time":"t8","sensor":"s8","temperature":8.5,"status":"ok"})",
                            });
  }
  SUBCASE("a wanted name given twice after a cached shape") {
    check_dom_stream(names, {
                                R"({"time":"t1","sensor":"s1","status":"ok"})",
                                R"({"time":"t1","sensor":"s1","status":"ok"})",
                                R"({"time":"t1","sensor":"s1","sensor":"s2"})",
                                R"({"time":"t1","sensor":"s1","status":"ok","time":"t2"})",
                                R"({"sensor":"a","sensor":"b","sensor":"c"})",
                                R"({"time":"t1","sensor":"s1","status":"ok"})",
                            });
  }
  SUBCASE("keys that differ only past their 8th byte") {
    check_dom_stream(names, {
                                R"({"temperature":1,"a_rather_long_field_name_1":"x"})",
                                R"({"temperatura":2,"a_rather_long_field_name_2":"y"})",
                                R"({"temperature":3,"a_rather_long_field_name_1":"z"})",
                                R"({"temperaturf":4,"a_rather_long_field_name_1":"w"})",
                                R"({"temperature":5,"a_rather_long_field_name_":"v"})",
                            });
  }
  SUBCASE("a field missing from one record") {
    check_dom_stream(names, {
                                R"({"time":"t1","sensor":"s1","temperature":1.5})",
                                R"({"time":"t2","temperature":2.5})",
                                R"({"time":"t3","sensor":"s3","temperature":3.5})",
                                R"({"time":"t4","sensorX":"s4","temperature":4.5})",
                            });
  }
  SUBCASE("a name longer than 64 bytes, and keys of its length modulo 64") {
    const std::string longname(70, 'n');
    check_dom_stream({"k", longname}, {
                                          R"({"k":1,")" + longname + R"(":2,"nnnnnn":3})",
                                          R"({"nnnnnn":3,"k":1,")" + longname + R"(":"two"})",
                                          R"({")" + std::string(70, 'm') + R"(":5,"k":"\u00e9"})",
                                      });
  }
  SUBCASE("more shapes than the cache keeps") {
    // Names of every length from 9 to 63 bytes; records of 300 members whose
    // keys change length at each position from record to record, so that the
    // cache's key bytes outgrow their room and are forgotten, more than once.
    std::vector<std::string> many;
    for (size_t n = 9; n < 64; ++n) many.push_back(std::string(n, 'n'));
    std::vector<std::string> recs;
    for (size_t r = 0; r < 12; ++r) {
      std::string t = "{";
      for (size_t j = 0; j < 300; ++j) {
        const size_t n = 9 + (j * 7 + r * 13) % 55;
        t += (j ? ",\"" : "\"") + std::string(n, (j + r) % 4 ? 'n' : 'm') + "\":" + std::to_string(j);
      }
      recs.push_back(t + "}");
    }
    check_dom_stream(many, recs);
  }
}

TEST_CASE("FieldReader: an object or array wanted leaves the DOM path") {
  std::string text = R"({"k":{"a":1},"v":2})";
  std::string padded = text + std::string(su::kInputPadding, '\0');
  su::FieldReader r({"k", "v"});
  simdjson::dom::parser parser;
  simdjson::dom::element el;
  REQUIRE(!parser.parse(padded.data(), text.size(), false).get(el));
  CHECK(r.dom_ok());
  CHECK(r.read(el) == su::FieldReader::kNeedsText);
  CHECK_FALSE(r.dom_ok());
}
