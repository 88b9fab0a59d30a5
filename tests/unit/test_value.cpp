// Text-to-value inference: JSON number syntax only, int64 bounds, doubles.
#include <doctest/doctest.h>
#include <fast_float/fast_float.h>
#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include "su/core/json_write.hpp"
#include "su/core/value.hpp"
#include "su/formats/record_writer.hpp"

namespace {
bool number(std::string_view s) {
  bool integral = false;
  return su::is_json_number(s, &integral);
}
}  // namespace

TEST_CASE("is_json_number: JSON number syntax only") {
  for (const char* yes : {"0", "-0", "7", "42", "-42", "1.5", "0.25", "-0.5", "1e5", "1E+5", "2.5e-3", "1e400"})
    CHECK_MESSAGE(number(yes), yes);
  for (const char* no : {"",   "-",  "007", "01",  "+5",   "NaN", "nan", "inf",   "-inf", "Infinity", "12abc",
                         "1.", ".5", "1e",  "1e+", "0x10", " 1",  "1 ",  "1_000", "--1",  "1.2.3"})
    CHECK_MESSAGE(!number(no), no);
}

TEST_CASE("is_json_number: integral means no fraction and no exponent") {
  bool integral = false;
  CHECK(su::is_json_number("123", &integral));
  CHECK(integral);
  CHECK(su::is_json_number("1.0", &integral));
  CHECK_FALSE(integral);
  CHECK(su::is_json_number("1e2", &integral));
  CHECK_FALSE(integral);
}

TEST_CASE("parse_number: strings that are not JSON numbers stay strings") {
  for (const char* s : {"007", "+5", "NaN", "12abc", "", "1.", "inf"}) CHECK_MESSAGE(!su::parse_number(s), s);
}

TEST_CASE("parse_number: integers within int64 stay integers, at both bounds") {
  auto v = su::parse_number("9223372036854775807");
  REQUIRE(v);
  CHECK(v->kind == su::Value::Kind::Int);
  CHECK(v->i == INT64_MAX);
  v = su::parse_number("-9223372036854775808");
  REQUIRE(v);
  CHECK(v->kind == su::Value::Kind::Int);
  CHECK(v->i == INT64_MIN);
  v = su::parse_number("42");
  REQUIRE(v);
  CHECK(v->kind == su::Value::Kind::Int);
  CHECK(v->i == 42);
}

TEST_CASE("parse_number: integers beyond int64 become doubles") {
  auto v = su::parse_number("9223372036854775808");
  REQUIRE(v);
  CHECK(v->kind == su::Value::Kind::Double);
  CHECK(v->d == 9223372036854775808.0);
  v = su::parse_number("-9223372036854775809");
  REQUIRE(v);
  CHECK(v->kind == su::Value::Kind::Double);
}

TEST_CASE("parse_number: -0, fractions, exponents and overflow") {
  auto v = su::parse_number("-0");
  REQUIRE(v);
  CHECK(v->as_double() == 0.0);
  v = su::parse_number("2.5");
  REQUIRE(v);
  CHECK(v->kind == su::Value::Kind::Double);
  CHECK(v->d == 2.5);
  v = su::parse_number("1e3");
  REQUIRE(v);
  CHECK(v->kind == su::Value::Kind::Double);
  CHECK(v->d == 1000.0);
  v = su::parse_number("1e400");  // out of range: still a number (infinite)
  REQUIRE(v);
  CHECK(v->kind == su::Value::Kind::Double);
  CHECK(std::isinf(v->d));
}

TEST_CASE("append_value: each kind as JSON") {
  std::string out;
  su::append_value(out, su::Value::missing());
  out += ' ';
  su::append_value(out, su::Value::null());
  out += ' ';
  su::append_value(out, su::Value::boolean(true));
  out += ' ';
  su::append_value(out, su::Value::integer(-3));
  out += ' ';
  su::append_value(out, su::Value::real(0.1));
  out += ' ';
  su::append_value(out, su::Value::string("a\"b"));
  out += ' ';
  su::append_value(out, su::Value::json("[1,2]"));
  CHECK(out == "null null true -3 0.1 \"a\\\"b\" [1,2]");
}

TEST_CASE("classify_number_text: JSON numbers in range keep their text") {
  using su::NumberText;
  for (const char* s : {"0", "-0", "51.0", "1e3", "1E+3", "-0.0", "2.50", "9223372036854775807", "-9223372036854775808",
                        "18446744073709551615", "1e308", "1.7976931348623157e308", "1e-400", "0e999999999999999999",
                        "1e-99999999999999999999"})
    CHECK_MESSAGE(su::classify_number_text(s) == NumberText::Number, s);
  for (const char* s :
       {"+5", ".5", "5.", "0x1F", "007", "1_000", "inf", "nan", "NaN", "-", "", "1e", "1.2.3", " 1", "12abc"})
    CHECK_MESSAGE(su::classify_number_text(s) == NumberText::NotNumber, s);
  for (const char* s : {"18446744073709551616", "-9223372036854775809", "100000000000000000000000", "1e400", "-1e400",
                        "1.8e308", "2e308"})
    CHECK_MESSAGE(su::classify_number_text(s) == NumberText::OutOfRange, s);
  std::string big(309, '9');  // 309 digits without an exponent: beyond DBL_MAX
  CHECK(su::classify_number_text(big + ".5") == NumberText::OutOfRange);
  CHECK(su::classify_number_text(big.substr(1) + ".5") == NumberText::Number);
}

// stream-parse's RecordWriter writes an inferred number exactly as its text
// when every tool reads it back, and a string otherwise: against a reference
// built from from_chars and fast_float, on random number texts.

TEST_CASE("stream-parse writer: number texts as written, out of range as strings") {
  su::FieldRules rules;
  su::RecordWriter writer(rules);
  uint64_t x = 12345;
  auto next = [&x] {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    return x >> 33;
  };
  std::vector<std::string> texts = {"0",
                                    "-0",
                                    "0.0",
                                    "-0.0",
                                    "16.20",
                                    "16.00",
                                    "51.0",
                                    "1e3",
                                    "0.05",
                                    "100000.0",
                                    "123456789012345.6",
                                    "1.000000000000001",
                                    "999999999999999999",
                                    "9223372036854775807",
                                    "9223372036854775808",
                                    "18446744073709551615",
                                    "18446744073709551616",
                                    "-9223372036854775808",
                                    "-9223372036854775809",
                                    "1e5",
                                    "1.50e-3",
                                    "1e400",
                                    "1e-400",
                                    "0.1000",
                                    "1234567890.12345"};
  for (int i = 0; i < 200000; ++i) {
    std::string t;
    if (next() % 2) t += '-';
    int il = int(next() % 22);
    t += il ? char('1' + next() % 9) : '0';
    for (int k = 1; k < il; ++k) t += char('0' + next() % 10);
    if (next() % 4) {
      t += '.';
      int fl = 1 + int(next() % 17);
      for (int k = 0; k < fl; ++k) t += char(next() % 3 ? '0' + next() % 10 : '0');
    }
    if (next() % 8 == 0) {
      t += 'e';
      t += std::to_string(int(next() % 700) - 350);
    }
    texts.push_back(t);
  }
  int mismatches = 0;
  for (const std::string& t : texts) {
    std::vector<su::ParsedField> fields(1);
    fields[0].name = "v";
    fields[0].text = t;
    std::string got;
    REQUIRE(writer.write(got, fields) == "");
    std::string want = "{\"v\":";
    bool integral = false;
    REQUIRE(su::is_json_number(t, &integral));
    bool in_range;
    if (integral) {
      int64_t iv;
      uint64_t uv;
      in_range = std::from_chars(t.data(), t.data() + t.size(), iv).ec == std::errc() ||
                 std::from_chars(t.data(), t.data() + t.size(), uv).ec == std::errc();
    } else {
      double d = 0;
      fast_float::from_chars(t.data(), t.data() + t.size(), d);
      in_range = std::isfinite(d);
    }
    if (in_range) {
      want += t;
    } else {
      want += '"';
      want += t;
      want += '"';
    }
    want += "}\n";
    if (got != want && ++mismatches < 5) CHECK(got == want);
  }
  CHECK(mismatches == 0);
}

TEST_CASE("stream-parse writer: --types float writes a float, an int an integer") {
  su::FieldRules rules;
  rules.parse_types("f:float,i:int");
  su::RecordWriter writer(rules);
  auto one = [&writer](const char* name, const char* text) {
    std::vector<su::ParsedField> fields(1);
    fields[0].name = name;
    fields[0].text = text;
    std::string out;
    std::string reason = writer.write(out, fields);
    return reason.empty() ? out : reason;
  };
  CHECK(one("f", "51") == "{\"f\":51.0}\n");
  CHECK(one("f", "51.0") == "{\"f\":51.0}\n");
  CHECK(one("f", "1e3") == "{\"f\":1e3}\n");
  CHECK(one("f", "+5") == "{\"f\":5.0}\n");
  CHECK(one("f", ".5") == "{\"f\":0.5}\n");
  CHECK(one("f", "1e21") == "{\"f\":1e21}\n");
  CHECK(one("f", "100000000000000000000000") == "{\"f\":1e+23}\n");
  CHECK(one("f", "x") == "field 'f': expected float, got 'x'");
  CHECK(one("i", "+5") == "{\"i\":5}\n");
}

TEST_CASE("stream-parse writer: empty and default (null-pointer) texts, escapes, nulls") {
  su::FieldRules rules;
  su::RecordWriter writer(rules);
  std::vector<su::ParsedField> fields(5);
  fields[0].name = "empty";  // default string_view: data() is nullptr
  fields[1].name = "esc";
  fields[1].text = "a\"b\n\xC3\xA9\xFF";
  fields[2].name = "null";
  fields[2].null = true;
  fields[3].name = "str";
  fields[3].text = "007";
  fields[4].name = "num";
  fields[4].text = "-12.50";
  std::string out;
  REQUIRE(writer.write(out, fields) == "");
  CHECK(out == "{\"empty\":\"\",\"esc\":\"a\\\"b\\n\xC3\xA9\\u00ff\",\"null\":null,\"str\":\"007\",\"num\":-12.50}\n");
}

TEST_CASE("stream-parse writer: names of --fields and --types that no record had, with the closest seen") {
  su::FieldRules rules;
  rules.keep = {"time", "temprature", "sensor"};
  rules.parse_types("temprature:float,humidty:int,sensor:string");
  su::RecordWriter writer(rules);
  CHECK(writer.unseen_names().empty());  // no record yet: nothing to compare with
  std::vector<su::ParsedField> fields(3);
  fields[0].name = "time";
  fields[1].name = "sensor";
  fields[2].name = "temperature";
  std::string out;
  REQUIRE(writer.write(out, fields) == "");
  std::vector<su::UnseenName> u = writer.unseen_names();
  REQUIRE(u.size() == 2);
  CHECK(u[0].option == "--fields");
  CHECK(u[0].name == "temprature");
  CHECK(u[0].closest == "temperature");
  CHECK(u[1].option == "--types");
  CHECK(u[1].name == "humidty");
  CHECK(u[1].closest == "");
}

TEST_CASE("append_base64: RFC 4648 test vectors, any bytes") {
  auto b64 = [](std::string_view s) {
    std::string out;
    su::append_base64(out, s);
    return out;
  };
  CHECK(b64("") == "");
  CHECK(b64("f") == "Zg==");
  CHECK(b64("fo") == "Zm8=");
  CHECK(b64("foo") == "Zm9v");
  CHECK(b64("foob") == "Zm9vYg==");
  CHECK(b64("fooba") == "Zm9vYmE=");
  CHECK(b64("foobar") == "Zm9vYmFy");
  CHECK(b64(std::string_view("\xff\xfe\0", 3)) == "//4A");
}

TEST_CASE("append_double: beyond the int64 range always with an exponent, so it reads back as a double") {
  auto text = [](double d) {
    std::string s;
    su::append_double(s, d);
    return s;
  };
  CHECK(text(0x1p64) == "1.8446744073709552e+19");
  CHECK(text(0x1p63) == "9.223372036854776e+18");
  CHECK(text(-0x1p64) == "-1.8446744073709552e+19");
  CHECK(text(-0x1p63) == "-9223372036854775808");  // INT64_MIN reads back as an integer
  CHECK(text(1e21) == "1e+21");
  CHECK(text(51.0) == "51");
  CHECK(text(0.1) == "0.1");
  for (double d : {0x1p63, 0x1p64, 1.2345678901234567e19, -0x1p64}) {
    auto v = su::parse_number(text(d));
    REQUIRE(v);
    CHECK(v->kind == su::Value::Kind::Double);
    CHECK(v->d == d);
  }
}

TEST_CASE("append_json_string: eight bytes at a time escapes exactly what one at a time does") {
  // The reference: escape byte by byte (valid UTF-8 kept, invalid bytes as \u00XX).
  auto reference = [](const std::string& s) {
    std::string out = "\"";
    const bool valid = simdjson::validate_utf8(s.data(), s.size());
    for (unsigned char c : s) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        default:
          if (c < 0x20 || (c >= 0x80 && !valid)) {
            char e[7];
            std::snprintf(e, sizeof e, "\\u%04x", c);
            out += e;
          } else {
            out.push_back(char(c));
          }
      }
    }
    return out + "\"";
  };
  const std::string specials[] = {"\"", "\\", "\n", "\x01", "\x1f", " ", "~", "\x7f", "é", "✓"};
  for (size_t len = 0; len <= 19; ++len)
    for (size_t at = 0; at < len; ++at)
      for (const std::string& sp : specials) {
        std::string s(len, 'a');
        s.replace(at, 1, sp);
        std::string out;
        su::append_json_string(out, s);
        CAPTURE(s);
        CHECK(out == reference(s));
      }
}
