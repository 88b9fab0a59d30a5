// JSON text helpers: string escaping, shortest round-trip numbers, appending
// members to a raw object; the Output buffer writing to a file descriptor.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <limits>
#include <string>

#include "su/output.hpp"

namespace {
std::string js(std::string_view s) {
  std::string out;
  su::append_json_string(out, s);
  return out;
}
std::string num(double d) {
  std::string out;
  su::append_double(out, d);
  return out;
}
std::string members(std::string_view raw, std::string_view m, bool* ok = nullptr) {
  std::string out;
  bool r = su::append_members_to_object(out, raw, m);
  if (ok) *ok = r;
  return out;
}
}  // namespace

TEST_CASE("json string: quotes, backslashes and the short escapes") {
  CHECK(js("") == "\"\"");
  CHECK(js("plain") == "\"plain\"");
  CHECK(js("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(js("\n\r\t\b\f") == "\"\\n\\r\\t\\b\\f\"");
  CHECK(js("/") == "\"/\"");
}

TEST_CASE("json string: other control characters as \\u00XX") {
  CHECK(js(std::string_view("\0", 1)) == "\"\\u0000\"");
  CHECK(js("\x01\x1f") == "\"\\u0001\\u001f\"");
  CHECK(js("\x7f") == "\"\x7f\"");  // DEL is allowed in JSON strings
}

TEST_CASE("json string: valid UTF-8 passes, invalid bytes become \\u00XX") {
  CHECK(js("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") == "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"");
  CHECK(js("a\xFFz") == "\"a\\u00ffz\"");
  CHECK(js("\xC3") == "\"\\u00c3\"");                        // truncated sequence
  CHECK(js("\xC0\xAF") == "\"\\u00c0\\u00af\"");             // overlong
  CHECK(js("\xED\xA0\x80") == "\"\\u00ed\\u00a0\\u0080\"");  // surrogate
  CHECK(js("ok\xC3\xA9\x80") == "\"ok\xC3\xA9\\u0080\"");    // valid then a stray continuation
}

TEST_CASE("numbers: integers and shortest round-trip doubles") {
  std::string out;
  su::append_int(out, INT64_MIN);
  CHECK(out == "-9223372036854775808");
  CHECK(num(0.1) == "0.1");
  CHECK(num(1.5) == "1.5");
  CHECK(num(100) == "100");
  CHECK(num(-2.25) == "-2.25");
  CHECK(num(1e300) == "1e+300");
  CHECK(num(0.1 + 0.2) == "0.30000000000000004");
  double third = 1.0 / 3;
  std::string t = num(third);
  CHECK(std::stod(t) == third);
}

TEST_CASE("numbers: NaN and infinities become null") {
  CHECK(num(std::numeric_limits<double>::quiet_NaN()) == "null");
  CHECK(num(std::numeric_limits<double>::infinity()) == "null");
  CHECK(num(-std::numeric_limits<double>::infinity()) == "null");
}

TEST_CASE("append_members_to_object: non-empty, empty and padded objects") {
  bool ok = false;
  CHECK(members("{\"a\":1}", "\"b\":2", &ok) == "{\"a\":1,\"b\":2}");
  CHECK(ok);
  CHECK(members("{}", "\"b\":2") == "{\"b\":2}");
  CHECK(members("{ }", "\"b\":2") == "{ \"b\":2}");
  CHECK(members("{\"a\":1}  \t\r", "\"b\":2") == "{\"a\":1,\"b\":2}");
  CHECK(members("{\"a\":1}", "") == "{\"a\":1}");
  CHECK(members("{\"a\":[1,2] }", "\"b\":2") == "{\"a\":[1,2] ,\"b\":2}");
  members("[1,2]", "\"b\":2", &ok);
  CHECK_FALSE(ok);
  members("", "\"b\":2", &ok);
  CHECK_FALSE(ok);
}

TEST_CASE("Output: writes everything on flush, and in blocks under load") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  {
    su::Output out(fds[1], 16);
    out.write("0123456789");
    out.end_record();  // under a block: held
    out.put('x');
    out.write("abcdefgh");
    out.end_record();  // a block: written
    char buf[64];
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    CHECK(std::string(buf, size_t(n)) == "0123456789xabcdefgh");
    out.write("tail");
  }  // the destructor flushes and closes
  char buf[64];
  ssize_t n = ::read(fds[0], buf, sizeof buf);
  CHECK(std::string(buf, size_t(n > 0 ? n : 0)) == "tail");
  ::close(fds[0]);
}

TEST_CASE("Output::lines counts the lines given to it, written or held, across flushes") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  {
    su::Output out(fds[1], 16);  // a block of 16 bytes: flushed often
    out.write("{\"a\":1}\n");
    CHECK(out.lines() == 1);
    out.write("{\"a\":2}\n{\"a\":3}\n");
    out.end_record();  // over the block: written
    CHECK(out.buf().empty());
    CHECK(out.lines() == 3);
    out.write("{\"a\":4}\n");
    out.flush();
    out.write("{\"a\":5}\n");
    CHECK(out.lines() == 5);
    CHECK(out.lines() == 5);  // counted once
  }
  char b[256];
  ssize_t n = ::read(fds[0], b, sizeof b);
  CHECK(n == 40);
  ::close(fds[0]);
}
