// Line input shared by every tool (the common layer owns file descriptors): reads the named files in order (or stdin)
// in large blocks, splits lines, and can wait for input with a timeout so that
// a tool can act on a timer while its input is idle.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "su/core/line.hpp"
#include "su/follow.hpp"
#include "su/listen.hpp"
#include "su/read_ahead.hpp"
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
  // While it waits for input, also watch this output descriptor: when its
  // reader is gone (a pipe's POLLERR, a socket's POLLHUP) it throws
  // su::BrokenPipe, so an idle stage of a pipeline whose next stage died
  // ends at once instead of at its next write. -1: none.
  void watch_output(int fd) { out_fd_ = fd; }
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
    if (listener_) listener_->set_quote(on ? quote : '\0');
  }

  // By default the reader stops reading new bytes once a stop signal arrived
  // (it still hands out complete lines it holds). The sink keeps reading.
  void set_read_after_stop(bool on) { read_after_stop_ = on; }

  // Read pipes on a second thread (su::ReadAhead), for a tool that parses
  // on its own (default off; STREAM_UTILS_READ_AHEAD=0 keeps it off).
  void set_read_ahead(bool on) { read_ahead_ = on && ReadAhead::enabled(); }

  // Skip a UTF-8 byte order mark at the start of each file (default on).
  void set_strip_bom(bool on) { strip_bom_ = on; }

  // Follow mode (stream-parse --follow): the followed files instead of the
  // paths; at the end of each it waits for more, and hands out the next
  // file's lines when one is rotated (su::Follower).
  void follow(std::unique_ptr<Follower> f) { follower_ = std::move(f); }
  // Listen mode (stream-parse --listen): after the files named (none: not
  // stdin), the connections of the Listener, each its own source, until a
  // stop signal.
  void listen(std::unique_ptr<Listener> l);
  // Listen mode: serials of the sources that ended since the last call.
  std::vector<uint32_t> take_ended_sources() { return listener_ ? listener_->take_ended() : std::vector<uint32_t>{}; }
  // Whether line 1 of the current source may be read again (first_line()):
  // not for a connection.
  bool can_reread() const { return !listening_; }
  // Follow mode: called with the read position after the lines handed out,
  // before each read of more bytes and before each wait, when it moved (and
  // once more at the end). Lines handed out before must be acted on.
  // Positions reached before it is set (lines read ahead) are given to it then.
  void on_checkpoint(std::function<void(const ReadPosition&)> fn);
  // Follow mode: line 1 of the current source, for a CSV header when the
  // source was started past it (resume, or back from another file).
  std::string first_line();

  std::string_view source() const { return source_name_; }
  uint64_t line_number() const { return line_no_; }
  uint64_t bytes_read() const { return total_bytes_; }

 private:
  bool open_next();
  // Follow mode: makes the next followed file current, waiting for one
  // (false with the status to return).
  bool follow_open(int timeout_ms, ReadStatus* st);
  // Follow mode, at the end of the current file's bytes: sets *timed_out or
  // *interrupted, or returns false (the file ended or paused: eof_ set).
  bool follow_at_end(int timeout_ms, bool* timed_out, bool* interrupted);
  // Follow mode: waits up to ms for a followed file to change.
  bool follow_wait(int ms);
  void checkpoint();
  uint64_t consumed() const { return file_pos_ - (end_ - begin_); }
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
  uint32_t serial_ = 0;
  int out_fd_ = -1;
  bool read_ahead_ = false;
  std::unique_ptr<ReadAhead> ahead_;  // the current descriptor's, when it is a pipe
  int input_fd() const { return ahead_ ? ahead_->ready_fd() : fd_; }
  ssize_t read_some(char* dst, size_t n);
  // Waits up to ms (-1: no limit) for input on fd_ (or, fd_ < 0, just the
  // time); throws BrokenPipe when the watched output is gone. poll()'s result.
  int wait_input(int ms);
  // Listen mode: the next connection's chunk into the buffer (false with
  // the status to return).
  bool listen_open(int timeout_ms, ReadStatus* st);
  std::unique_ptr<Listener> listener_;
  bool listening_ = false;      // the files are done: reading the listener
  bool default_stdin_ = false;  // no path was named
  // Follow mode.
  std::unique_ptr<Follower> follower_;
  std::function<void(const ReadPosition&)> checkpoint_;
  std::vector<ReadPosition> early_;  // before checkpoint_ was set
  uint64_t file_pos_ = 0;            // offset in the current file of buf_[end_]
  uint64_t checkpointed_ = UINT64_MAX;
  uint32_t checkpointed_serial_ = 0;
  bool follow_done_ = false;  // --once: every file read to its end
  bool drop_rest_ = false;    // the current file paused: what is held is read again later
};

}  // namespace su
