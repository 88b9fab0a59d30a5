// Line input shared by every tool: reads the named files in order (or stdin)
// in large blocks, splits lines, and can wait for input with a timeout so that
// a tool can act on a timer while its input is idle.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace su {

// Bytes that are always readable after the end of any line handed out, so
// simdjson can parse a line in place (SIMDJSON_PADDING is 64).
inline constexpr size_t kInputPadding = 64;

struct Line {
  std::string_view text;     // without the line terminator (\n or \r\n)
  std::string_view source;   // file name, or "stdin"
  uint64_t number = 0;       // 1-based line number in its source
  size_t capacity = 0;       // readable bytes from text.data() (>= size + kInputPadding)
  bool too_long = false;     // longer than the maximum: text holds a prefix only
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

class InputReader {
 public:
  // paths: files to read in order; empty or "-" means stdin.
  explicit InputReader(std::vector<std::string> paths, size_t max_line = size_t(64) << 20);
  ~InputReader();
  InputReader(const InputReader&) = delete;
  InputReader& operator=(const InputReader&) = delete;

  // Next line. timeout_ms < 0 waits forever; otherwise returns Timeout when no
  // complete line arrives in that time. Blank lines are returned too (callers
  // skip them where the format says so). Returns Interrupted when a signal
  // arrived (see su::stop_requested()). Throws su::Fatal when a file cannot be
  // opened or read.
  ReadStatus next(Line& line, int timeout_ms = -1);

  // Like next(), but hands out every complete line the buffer holds (at least
  // one) as one block. Not for quote-aware mode.
  ReadStatus next_block(Block& block, int timeout_ms = -1);

  // Called right before the reader would block on a read: flush output, commit.
  void on_before_block(std::function<void()> fn) { before_block_ = std::move(fn); }

  // RFC 4180 mode: a newline inside double quotes does not end the record.
  void set_quote_aware(bool on, char quote = '"') { quote_aware_ = on; quote_ = quote; }

  // By default the reader stops reading new bytes once a stop signal arrived
  // (it still hands out complete lines it holds). The sink keeps reading.
  void set_read_after_stop(bool on) { read_after_stop_ = on; }

  // Skip a UTF-8 byte order mark at the start of each file (default on).
  void set_strip_bom(bool on) { strip_bom_ = on; }

  std::string_view source() const { return source_name_; }
  uint64_t line_number() const { return line_no_; }
  uint64_t bytes_read() const { return total_bytes_; }

 private:
  bool open_next();
  // Reads more bytes into the buffer; false at end of the current file.
  // Sets *timed_out when the timeout passed with nothing read.
  bool fill(int timeout_ms, bool* timed_out, bool* interrupted);
  size_t find_end(size_t from) const;

  std::vector<std::string> paths_;
  size_t next_path_ = 0;
  int fd_ = -1;
  bool eof_ = true;          // current fd finished (or none open)
  bool at_file_start_ = true;
  bool quote_aware_ = false;
  char quote_ = '"';
  bool strip_bom_ = true;
  bool read_after_stop_ = false;
  size_t max_line_;
  std::string source_name_;
  uint64_t line_no_ = 0;
  uint64_t total_bytes_ = 0;

  char* buf_ = nullptr;      // [begin_, end_) holds unread bytes
  size_t cap_ = 0;
  size_t begin_ = 0, end_ = 0;
  size_t scanned_ = 0;       // bytes after begin_ known to hold no line end
  int quote_parity_ = 0;     // quote-aware scanning state for [begin_, begin_+scanned_)
  size_t quote_free_end_ = 0;  // quote-aware: no quote byte in [begin_+scanned_, this) of buf_
  bool discarding_ = false;  // inside an over-long line, dropping bytes to its end
  std::function<void()> before_block_;
};

// Finds the end of a record in [p, p+n): the index of the '\n' that ends it,
// or n when none. In quote-aware mode a '\n' inside quotes does not count;
// *parity carries the quote state across calls (0 = outside quotes).
size_t find_line_end(const char* p, size_t n);
size_t find_record_end_quoted(const char* p, size_t n, char quote, int* parity);

}  // namespace su
