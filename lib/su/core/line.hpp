// Lines and blocks of lines as the input reader hands them out: views into
// its buffer with their source name, line number and readable padding.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace su {

// Bytes that are always readable after the end of any line handed out, so
// simdjson can parse a line in place (SIMDJSON_PADDING is 64).
inline constexpr size_t kInputPadding = 64;

struct Line {
  std::string_view text;    // without the line terminator (\n or \r\n)
  std::string_view source;  // file name, or "stdin"
  uint64_t number = 0;      // 1-based line number in its source
  size_t capacity = 0;      // readable bytes from text.data() (>= size + kInputPadding)
  bool too_long = false;    // longer than the maximum: text holds a prefix only
  uint32_t serial = 0;      // the source's number: a new one with each new source (same name or not)
};

// Several whole lines at once, for tools that work on blocks (stream-parse's
// NDJSON validation). text spans the lines with their inner '\n's and ends
// before the last line's terminator.
struct Block {
  std::string_view text;
  std::string_view source;
  uint64_t first_line = 0;  // number of the first line in its source
  uint64_t lines = 0;       // how many lines text holds
  size_t capacity = 0;      // readable bytes from text.data()
  bool too_long = false;    // a single over-long line (text holds a prefix)
  uint32_t serial = 0;      // as Line::serial
};

enum class ReadStatus { Line, Eof, Timeout, Interrupted };

// A line of nothing but spaces, tabs or a CR: readers skip it (CONTRACT 2).
inline bool is_blank(std::string_view t) {
  for (char c : t)
    if (c != ' ' && c != '\t' && c != '\r') return false;
  return true;
}

// Calls fn(const Line&) for each line of a block (CRLF handled), with its
// line number and padding as InputReader::next would give them.
template <class Fn>
void for_each_line(const Block& b, Fn&& fn) {
  Line l;
  l.source = b.source;
  l.too_long = b.too_long;
  l.serial = b.serial;
  const char* end = b.text.data() + b.text.size();
  const char* p = b.text.data();
  for (uint64_t i = 0; i < b.lines; ++i) {
    const char* nl = i + 1 < b.lines ? static_cast<const char*>(std::memchr(p, '\n', size_t(end - p))) : end;
    if (!nl) nl = end;
    l.text = std::string_view(p, size_t(nl - p));
    if (!l.too_long && !l.text.empty() && l.text.back() == '\r') l.text.remove_suffix(1);
    l.number = b.first_line + i;
    l.capacity = b.capacity - size_t(p - b.text.data());
    fn(static_cast<const Line&>(l));
    p = nl + 1;
  }
}

}  // namespace su
