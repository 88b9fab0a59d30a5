// Line input shared by every tool (the common layer owns file descriptors): reads the named files in order (or stdin)
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

#include "su/core/line.hpp"
#include "su/simd/line_scan.hpp"

namespace su {

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
  // Called with the whole length in bytes of each over-long line (its
  // terminator aside) once its end has been read: at once when the end is in
  // the buffer, else after the rest of the line has been read and dropped
  // (or its file ended). Rejects report it (Diagnostics).
  void on_long_line(std::function<void(std::string_view source, uint64_t line, uint64_t length)> fn) {
    long_line_ = std::move(fn);
  }

  // RFC 4180 mode: a newline inside double quotes does not end the record.
  // May be set after lines were read: what is held is scanned again.
  void set_quote_aware(bool on, char quote = '"') {
    quote_aware_ = on;
    quote_ = quote;
    scanned_ = 0;
    quote_parity_ = 0;
    quote_free_end_ = 0;
  }

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
  bool eof_ = true;  // current fd finished (or none open)
  bool at_file_start_ = true;
  bool quote_aware_ = false;
  char quote_ = '"';
  bool strip_bom_ = true;
  bool read_after_stop_ = false;
  size_t max_line_;
  std::string source_name_;
  uint64_t line_no_ = 0;
  uint64_t total_bytes_ = 0;

  char* buf_ = nullptr;  // [begin_, end_) holds unread bytes
  size_t cap_ = 0;
  size_t begin_ = 0, end_ = 0;
  size_t scanned_ = 0;         // bytes after begin_ known to hold no line end
  int quote_parity_ = 0;       // quote-aware scanning state for [begin_, begin_+scanned_)
  size_t quote_free_end_ = 0;  // quote-aware: no quote byte in [begin_+scanned_, this) of buf_
  bool discarding_ = false;    // inside an over-long line, dropping bytes to its end
  uint64_t discard_line_ = 0;  // its number
  uint64_t discard_len_ = 0;   // its bytes so far
  std::function<void(std::string_view, uint64_t, uint64_t)> long_line_;
  void long_line_ended();
  std::function<void()> before_block_;
};

}  // namespace su
