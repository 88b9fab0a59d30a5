// su::JsonBlockReader and su::JsonDomBlockReader: a block of NDJSON lines
// through one iterate_many (or DOM parse_many), each
// document mapped to its line, and the exact line where per-line handling
// must take over when a line is not one document of its own.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "su/core/line.hpp"
#include "su/json/block.hpp"

namespace {
struct Result {
  std::vector<uint64_t> handled;   // line numbers handled in block mode
  std::vector<std::string> texts;  // their text
  uint64_t rest_first = 0, rest_lines = 0;
  std::string rest_text;
};

bool is_object(simdjson::ondemand::document& d) {
  simdjson::ondemand::json_type t;
  return !d.type().get(t) && t == simdjson::ondemand::json_type::object;
}
bool is_object(simdjson::dom::element& e) {
  return e.is_object();
}

// Runs the reader as a tool does: reads each document (here: must be an
// object), and counts a line as handled only once previous_ok() confirms it.
template <class Reader>
Result run_with(const std::string& text, uint64_t first_line) {
  std::string buf = text;
  buf.append(su::kInputPadding + 64, '\0');
  su::Block b;
  b.text = std::string_view(buf.data(), text.size());
  b.source = "test";
  b.first_line = first_line;
  b.lines = 1;
  for (char c : text) b.lines += c == '\n';
  b.capacity = buf.size();
  Reader r;
  r.start(b);
  Result res;
  for (bool more = r.next(); more;) {
    su::Line l = r.line();
    if (!is_object(r.doc())) {
      r.stop_here();
      break;
    }
    more = r.next();
    if (!r.previous_ok()) break;
    res.handled.push_back(l.number);
    res.texts.emplace_back(l.text);
  }
  res.rest_first = r.rest().first_line;
  res.rest_lines = r.rest().lines;
  res.rest_text = std::string(r.rest().text);
  return res;
}

// Both readers (On-Demand and DOM) map documents to lines alike.
Result run(const std::string& text, uint64_t first_line = 1) {
  Result on_demand = run_with<su::JsonBlockReader>(text, first_line);
  Result dom = run_with<su::JsonDomBlockReader>(text, first_line);
  CHECK(dom.handled == on_demand.handled);
  CHECK(dom.texts == on_demand.texts);
  CHECK(dom.rest_first == on_demand.rest_first);
  CHECK(dom.rest_lines == on_demand.rest_lines);
  CHECK(dom.rest_text == on_demand.rest_text);
  return on_demand;
}
using V = std::vector<uint64_t>;
}  // namespace

TEST_CASE("json_block: one object per line is handled whole") {
  Result r = run("{\"a\":1}\n{\"a\":2}\n{\"a\":3}", 41);
  CHECK(r.handled == V{41, 42, 43});
  CHECK(r.texts[2] == "{\"a\":3}");
  CHECK(r.rest_lines == 0);
}

TEST_CASE("json_block: a block of one line") {
  Result r = run("{\"a\":1}");
  CHECK(r.handled == V{1});
  CHECK(r.rest_lines == 0);
}

TEST_CASE("json_block: blank lines are skipped, line numbers stay exact") {
  Result r = run("\n  \n{\"a\":1}\n\r\n\t\n{\"a\":2}\n\n");
  CHECK(r.handled == V{3, 6});
  CHECK(r.rest_lines == 0);
}

TEST_CASE("json_block: CRLF line ends and leading white space") {
  Result r = run("{\"a\":1}\r\n  {\"a\":2}\r\n{\"a\":3}\r");
  CHECK(r.handled == V{1, 2, 3});
  CHECK(r.texts[0] == "{\"a\":1}");
  CHECK(r.texts[1] == "  {\"a\":2}");
  CHECK(r.texts[2] == "{\"a\":3}");
}

TEST_CASE("json_block: a bad line in the middle: the rest starts there") {
  // Line 2 does not close: its document would run into line 3.
  Result r = run("{\"a\":1}\n{\"a\":{\"b\":2}\n,\"c\":3}\n{\"a\":4}");
  CHECK(r.handled == V{1});
  CHECK(r.rest_first == 2);
  CHECK(r.rest_lines == 3);
  CHECK(r.rest_text == "{\"a\":{\"b\":2}\n,\"c\":3}\n{\"a\":4}");
}

TEST_CASE("json_block: two objects on one line are not taken apart") {
  Result r = run("{\"a\":1}\n{\"a\":2}{\"a\":3}\n{\"a\":4}");
  CHECK(r.handled == V{1});
  CHECK(r.rest_first == 2);
  CHECK(r.rest_lines == 2);
}

TEST_CASE("json_block: trailing content after an object on its line") {
  Result r = run("{\"a\":1}\n{\"a\":2} x\n{\"a\":3}");
  CHECK(r.handled == V{1});
  CHECK(r.rest_first == 2);
}

TEST_CASE("json_block: the last line incomplete") {
  // simdjson leaves the truncated document out, so the line before it cannot
  // be confirmed either: it goes to the per-line path too (safe, rare).
  Result r = run("{\"a\":1}\n{\"a\":2}\n{\"a\":");
  CHECK(r.handled == V{1});
  CHECK(r.rest_first == 2);
  CHECK(r.rest_lines == 2);
}

TEST_CASE("json_block: a non-object stops where the caller stops") {
  Result r = run("{\"a\":1}\n[1,2]\n{\"a\":3}");
  CHECK(r.handled == V{1});
  CHECK(r.rest_first == 2);
  CHECK(r.rest_lines == 2);
}

TEST_CASE("json_block: an unclosed string does not swallow the next line") {
  // Stage 1 reports the unclosed string for the block: all of it per line.
  Result r = run("{\"a\":1}\n{\"a\":\"x}\n{\"a\":\"y\"}\n{\"a\":4}");
  CHECK(r.handled.empty());
  CHECK(r.rest_first == 1);
  CHECK(r.rest_lines == 4);
}

TEST_CASE("json_block: a control record is a line like any other (the caller decides)") {
  Result r = run("{\"a\":1}\n{\"_control\":\"close\",\"window\":1}\n{\"a\":3}");
  CHECK(r.handled == V{1, 2, 3});
  CHECK(r.texts[1] == "{\"_control\":\"close\",\"window\":1}");
}

TEST_CASE("json_block: invalid UTF-8 anywhere leaves the whole block to the per-line path") {
  Result r = run("{\"a\":1}\n{\"a\":\"\xff\"}\n{\"a\":3}", 7);
  CHECK(r.handled.empty());
  CHECK(r.rest_first == 7);
  CHECK(r.rest_lines == 3);
}

TEST_CASE("json_block: only blank lines") {
  Result r = run("\n \n");
  CHECK(r.handled.empty());
}

namespace {
// n lines of exactly 64 bytes with '\n' ({"a":N} padded with spaces), with
// some lines replaced.
std::string lines64(int n, const std::vector<std::pair<int, std::string>>& replace = {}) {
  std::string out;
  for (int i = 1; i <= n; ++i) {
    std::string l = "{\"a\":" + std::to_string(i) + "}";
    for (const auto& [at, text] : replace)
      if (at == i) l = text;
    l.resize(63, ' ');
    out += l;
    if (i < n) out += '\n';
  }
  return out;
}
V one_to(uint64_t n) {
  V v;
  for (uint64_t i = 1; i <= n; ++i) v.push_back(i);
  return v;
}
}  // namespace

TEST_CASE("json_block: a block larger than a chunk is handled whole, chunk after chunk") {
  Result r = run(lines64(3000));
  CHECK(r.handled == one_to(3000));
  CHECK(r.rest_lines == 0);
}

TEST_CASE("json_block: blank lines across a chunk boundary") {
  // Byte 65536 starts line 1025: the first chunk ends after it.
  Result r = run(lines64(3000, {{1024, ""}, {1025, ""}, {1026, "   "}}));
  V want;
  for (uint64_t i = 1; i <= 3000; ++i)
    if (i < 1024 || i > 1026) want.push_back(i);
  CHECK(r.handled == want);
  CHECK(r.rest_lines == 0);
}

TEST_CASE("json_block: an object split over the chunk boundary goes to the per-line path") {
  Result r = run(lines64(3000, {{1025, "{\"a\":"}, {1026, "1}"}}));
  REQUIRE(r.rest_first <= 1025);
  CHECK(r.handled == one_to(r.rest_first - 1));
  CHECK(r.rest_lines == 3000 - r.rest_first + 1);
}
