// stream-serve's pure pieces: SSE frames, the event ring (history and client
// queues), the latest record per key, the listen address and the token;
// HTTP ingest's address, held-back tail, rate limit and response.
#include <doctest/doctest.h>

#include "su/core/error.hpp"
#include "su/serve/access.hpp"
#include "su/serve/events.hpp"
#include "su/serve/ingest.hpp"
#include "su/serve/latest.hpp"

using namespace su::serve;

namespace {
void push(EventRing& r, std::string_view data) {
  std::string f;
  append_frame(f, r.newest() + 1, "", data);
  r.push(f);
}
}  // namespace

TEST_CASE("an SSE frame is its id, its event name, one data line per line, and a blank line") {
  std::string f;
  append_frame(f, 7, "", R"({"v":1})");
  CHECK(f == "id: 7\ndata: {\"v\":1}\n\n");
  f.clear();
  append_frame(f, 8, "control", "a\nb\r\nc");
  CHECK(f == "id: 8\nevent: control\ndata: a\ndata: b\ndata: c\n\n");
}

TEST_CASE("the ring numbers events from 1 and copies those after a cursor, oldest first") {
  EventRing r(4);
  CHECK(r.newest() == 0);
  CHECK(r.oldest() == 1);
  std::string out;
  auto c = r.copy_after(0, 1 << 20, out);
  CHECK(out.empty());
  CHECK(c.cursor == 0);
  push(r, "a");
  push(r, "b");
  c = r.copy_after(0, 1 << 20, out);
  CHECK(out == "id: 1\ndata: a\n\nid: 2\ndata: b\n\n");
  CHECK(c.cursor == 2);
  CHECK(c.missed == 0);
  out.clear();
  c = r.copy_after(1, 1 << 20, out);
  CHECK(out == "id: 2\ndata: b\n\n");
}

TEST_CASE("a cursor the ring has passed: the events no longer held are counted as missed") {
  EventRing r(3);
  for (int i = 0; i < 10; ++i) push(r, std::to_string(i));
  CHECK(r.newest() == 10);
  CHECK(r.oldest() == 8);
  std::string out;
  auto c = r.copy_after(2, 1 << 20, out);
  CHECK(c.missed == 5);  // 3..7
  CHECK(c.cursor == 10);
  CHECK(out == "id: 8\ndata: 7\n\nid: 9\ndata: 8\n\nid: 10\ndata: 9\n\n");
}

TEST_CASE("a copy stops after max_bytes but always takes one frame") {
  EventRing r(8);
  for (int i = 0; i < 5; ++i) push(r, "xxxxxxxxxx");
  std::string out;
  auto c = r.copy_after(0, 1, out);
  CHECK(c.cursor == 1);
  out.clear();
  c = r.copy_after(0, 40, out);  // frames of 24 bytes: two reach 40
  CHECK(c.cursor == 2);
  CHECK(out.size() == 48);
}

TEST_CASE("an id from the future (a restarted server) resumes from the newest event") {
  EventRing r(4);
  push(r, "a");
  std::string out;
  auto c = r.copy_after(99, 1 << 20, out);
  CHECK(out.empty());
  CHECK(c.cursor == 1);
}

TEST_CASE("the ring's memory is its capacity: old frames are replaced, not kept") {
  EventRing r(2);
  for (int i = 0; i < 1000; ++i) push(r, "data");
  CHECK(r.newest() == 1000);
  CHECK(r.oldest() == 999);
  CHECK(r.capacity() == 2);
}

TEST_CASE("the latest table keeps the newest record per key in first-seen order") {
  LatestTable t(10);
  CHECK(t.to_json() == "{}");
  CHECK(t.newest_json() == "null");
  t.put("s1", R"({"k":"s1","v":1})");
  t.put("s2", R"({"k":"s2","v":2})");
  t.put("s1", R"({"k":"s1","v":3})");
  CHECK(t.to_json() == R"({"s1":{"k":"s1","v":3},"s2":{"k":"s2","v":2}})");
  CHECK(t.newest_json() == R"({"k":"s1","v":3})");
  t.put("a\"b", "{}");
  CHECK(t.to_json().find(R"("a\"b":{})") != std::string::npos);
}

TEST_CASE("the latest table is bounded in keys: a new key beyond it is not kept") {
  LatestTable t(2);
  CHECK(t.put("a", "{}"));
  CHECK(t.put("b", "{}"));
  CHECK_FALSE(t.put("c", "{}"));
  CHECK(t.put("a", R"({"x":1})"));
  CHECK(t.size() == 2);
}

TEST_CASE("--listen: host and port, IPv6 in brackets, a port alone") {
  auto a = parse_listen("127.0.0.1:8080");
  CHECK(a.host == "127.0.0.1");
  CHECK(a.port == 8080);
  a = parse_listen("[::1]:0");
  CHECK(a.host == "::1");
  CHECK(a.port == 0);
  a = parse_listen(":9000");
  CHECK(a.host == "127.0.0.1");
  CHECK(a.port == 9000);
  a = parse_listen("9001");
  CHECK(a.host == "127.0.0.1");
  CHECK(a.port == 9001);
  a = parse_listen("0.0.0.0");
  CHECK(a.host == "0.0.0.0");
  CHECK(a.port == 8080);
  CHECK_THROWS_AS(parse_listen("host:99999"), su::UsageError);
  CHECK_THROWS_AS(parse_listen("host:x"), su::UsageError);
  CHECK_THROWS_AS(parse_listen("::1:80"), su::UsageError);
  CHECK_THROWS_AS(parse_listen("[::1"), su::UsageError);
  CHECK_THROWS_AS(parse_listen(""), su::UsageError);
}

TEST_CASE("loopback addresses are told from the others") {
  CHECK(is_loopback("127.0.0.1"));
  CHECK(is_loopback("127.1.2.3"));
  CHECK(is_loopback("::1"));
  CHECK(is_loopback("::ffff:127.0.0.1"));
  CHECK(is_loopback("localhost"));
  CHECK_FALSE(is_loopback("0.0.0.0"));
  CHECK_FALSE(is_loopback("::"));
  CHECK_FALSE(is_loopback("192.168.1.2"));
  CHECK_FALSE(is_loopback("example.org"));
  CHECK_FALSE(is_loopback("128.0.0.1"));
}

TEST_CASE("urls put brackets around IPv6 hosts") {
  CHECK(url_of("http", "127.0.0.1", 80) == "http://127.0.0.1:80/");
  CHECK(url_of("https", "::1", 8443) == "https://[::1]:8443/");
}

TEST_CASE("the token is the file's first line without surrounding blanks") {
  CHECK(token_from_file_text("s3cret\n") == "s3cret");
  CHECK(token_from_file_text("  s3cret \r\nignored") == "s3cret");
  CHECK_THROWS_AS(token_from_file_text("\nabc"), su::UsageError);
  CHECK_THROWS_AS(token_from_file_text("a b"), su::UsageError);
  CHECK_THROWS_AS(token_from_file_text("caf\xc3\xa9"), su::UsageError);
}

TEST_CASE("a bearer token: the scheme in any case, blanks around it trimmed") {
  CHECK(bearer_token("Bearer abc") == std::optional<std::string_view>("abc"));
  CHECK(bearer_token("bearer  abc ") == std::optional<std::string_view>("abc"));
  CHECK_FALSE(bearer_token("Basic abc"));
  CHECK_FALSE(bearer_token("Bear"));
}

TEST_CASE("constant-time equality: equal, differing anywhere, differing in length") {
  CHECK(constant_time_equal("abc", "abc"));
  CHECK(constant_time_equal("", ""));
  CHECK_FALSE(constant_time_equal("abc", "abd"));
  CHECK_FALSE(constant_time_equal("abc", "xbc"));
  CHECK_FALSE(constant_time_equal("abc", "abcd"));
  CHECK_FALSE(constant_time_equal("abc", ""));
  CHECK_FALSE(constant_time_equal(std::string_view("a\0", 2), "a"));
}

TEST_CASE("the content security policy names no outside origin and allows no inline script") {
  std::string_view p = content_security_policy();
  CHECK(p.find("default-src 'none'") != std::string_view::npos);
  CHECK(p.find("script-src 'self'") != std::string_view::npos);
  CHECK(p.find("unsafe-inline") == std::string_view::npos);
  CHECK(p.find("http") == std::string_view::npos);
  CHECK(p.find("frame-ancestors 'none'") != std::string_view::npos);
}

TEST_CASE("the ring holds fewer events when their frames pass max_bytes, the newest always") {
  EventRing r(100, 100);
  for (int i = 0; i < 10; ++i) push(r, "0123456789");  // frames of 24 or 25 bytes
  CHECK(r.newest() == 10);
  CHECK(r.size() == 4);  // 3 x 24 + 25 = 97 bytes
  CHECK(r.bytes() <= 100);
  CHECK(r.oldest() == 7);
  push(r, std::string(500, 'x'));  // bigger than max_bytes alone: held alone
  CHECK(r.size() == 1);
  CHECK(r.oldest() == 11);
  std::string out;
  auto c = r.copy_after(6, 1 << 20, out);
  CHECK(c.missed == 4);
  CHECK(c.cursor == 11);
}

TEST_CASE("the ring's byte count follows the events it holds") {
  EventRing r(3);
  for (int i = 0; i < 5; ++i) push(r, "ab");
  CHECK(r.size() == 3);
  CHECK(r.bytes() == 3 * std::string("id: 5\ndata: ab\n\n").size());
}

// --- HTTP ingest (stream-parse --listen http://) ---

TEST_CASE("http ingest address: scheme, host, port and path") {
  using su::serve::parse_http_address;
  auto a = parse_http_address("http://127.0.0.1:8080/ingest");
  CHECK(!a.tls);
  CHECK(a.host == "127.0.0.1");
  CHECK(a.port == 8080);
  CHECK(a.path == "/ingest");
  auto b = parse_http_address("https://[::1]:0");
  CHECK(b.tls);
  CHECK(b.host == "::1");
  CHECK(b.port == 0);
  CHECK(b.path == "/");
  CHECK(su::serve::http_url(b, 4433) == "https://[::1]:4433/");
  CHECK(su::serve::is_http_address("http://x:1/"));
  CHECK(!su::serve::is_http_address("tcp://x:1"));
  CHECK_THROWS_AS(parse_http_address("http://127.0.0.1/ingest"), su::UsageError);  // no port
  CHECK_THROWS_AS(parse_http_address("http://:8080/ingest"), su::UsageError);      // no host
  CHECK_THROWS_AS(parse_http_address("http://h:99999/"), su::UsageError);          // bad port
  CHECK_THROWS_AS(parse_http_address("http://h:80/a?b=1"), su::UsageError);        // not a plain path
  CHECK_THROWS_AS(parse_http_address("ftp://h:80/"), su::UsageError);
}

TEST_CASE("http ingest: only complete lines go on, an over-long one whole") {
  using su::serve::complete_prefix;
  CHECK(complete_prefix("", 100) == 0);
  CHECK(complete_prefix("a,b", 100) == 0);
  CHECK(complete_prefix("a,b\nc", 100) == 4);
  CHECK(complete_prefix("a\nb\n", 100) == 4);
  CHECK(complete_prefix("0123456789", 5) == 10);  // longer than max_line: the reader rejects it
}

TEST_CASE("http ingest: the rate limit is a token bucket") {
  su::serve::RateLimit r(2, 2);  // 2 a second, a burst of 2
  CHECK(r.take(0));
  CHECK(r.take(0));
  CHECK(!r.take(0));
  CHECK(!r.take(400));  // 0.8 of a token back
  CHECK(r.take(500));
  CHECK(!r.take(500));
  CHECK(r.take(10000));  // never more than the burst
  CHECK(r.take(10000));
  CHECK(!r.take(10000));
  su::serve::RateLimit none(0, 1);
  for (int i = 0; i < 100; ++i) CHECK(none.take(0));
}

TEST_CASE("http ingest: the response says what was taken") {
  su::serve::IngestResult r;
  CHECK(su::serve::ingest_response(r) == "{\"accepted\":0,\"rejected\":0,\"rejects\":[]}\n");
  r.accepted = 3;
  r.rejected = 2;
  r.rejects = {{2, "expected 3 fields, got 2"}, {5, "bad \"x\""}};
  r.error = "request body cut short";
  CHECK(su::serve::ingest_response(r) ==
        "{\"accepted\":3,\"rejected\":2,\"rejects\":[{\"line\":2,\"reason\":\"expected 3 fields, got 2\"},"
        "{\"line\":5,\"reason\":\"bad \\\"x\\\"\"}],\"error\":\"request body cut short\"}\n");
  CHECK(su::serve::error_response("no") == "{\"error\":\"no\"}\n");
}
