// Block reader and line splitter: 1 MiB reads, a raised pipe buffer, memchr
// (SIMD in glibc, dispatched at run time) to find line ends, poll() to wait for
// input with a timeout and to flush/commit before blocking.
#include "su/input.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "su/core/error.hpp"
#include "su/output.hpp"
#include "su/signals.hpp"

namespace su {
namespace {
constexpr size_t kReadSize = size_t(1) << 20;
constexpr size_t kFollowReadSize = size_t(64) << 10;
}  // namespace

InputReader::InputReader(std::vector<std::string> paths, size_t max_line)
    : paths_(std::move(paths)), max_line_(std::max<size_t>(max_line, 16)) {
  default_stdin_ = paths_.empty();
  if (paths_.empty()) paths_.push_back("-");
  cap_ = kReadSize * 2;
  buf_ = static_cast<char*>(std::malloc(cap_ + kInputPadding));
  if (!buf_) throw Fatal("out of memory");
  std::memset(buf_ + cap_, 0, kInputPadding);
}

InputReader::~InputReader() {
  ahead_.reset();
  if (fd_ > 0 && !follower_) ::close(fd_);  // a followed file's descriptor is the Follower's
  std::free(buf_);
}

bool InputReader::open_next() {
  ahead_.reset();
  if (fd_ > 0) ::close(fd_);
  fd_ = -1;
  if (next_path_ >= paths_.size()) return false;
  const std::string& p = paths_[next_path_++];
  if (p == "-") {
    fd_ = 0;
    source_name_ = "stdin";
  } else {
    fd_ = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw Fatal(p + ": " + std::strerror(errno));
    struct stat st;
    if (::fstat(fd_, &st) == 0 && S_ISDIR(st.st_mode)) {
      ::close(fd_);
      fd_ = -1;
      throw Fatal(p + ": is a directory");
    }
    source_name_ = p;
  }
  widen_pipe(fd_);
  struct stat st;
  if (read_ahead_ && !follower_ && ::fstat(fd_, &st) == 0 && S_ISFIFO(st.st_mode))
    ahead_ = std::make_unique<ReadAhead>(fd_);
  eof_ = false;
  at_file_start_ = true;
  line_no_ = 0;
  ++serial_;
  return true;
}

void InputReader::listen(std::unique_ptr<Listener> l) {
  listener_ = std::move(l);
  listener_->set_quote(quote_aware_ ? quote_ : '\0');
  if (default_stdin_) paths_.clear();
}

bool InputReader::listen_open(int timeout_ms, ReadStatus* st) {
  listening_ = true;
  fd_ = -1;
  Listener::Chunk c;
  const std::function<void()> none;
  *st = listener_->next(c, line_no_, timeout_ms, out_fd_, before_block_ ? before_block_ : none);
  if (*st != ReadStatus::Line) return false;
  if (c.bytes.size() > cap_) {
    size_t ncap = cap_;
    while (ncap < c.bytes.size()) ncap *= 2;
    char* nb = static_cast<char*>(std::realloc(buf_, ncap + kInputPadding));
    if (!nb) throw Fatal("out of memory");
    buf_ = nb;
    cap_ = ncap;
    std::memset(buf_ + cap_, 0, kInputPadding);
  }
  std::memcpy(buf_, c.bytes.data(), c.bytes.size());
  begin_ = 0;
  end_ = c.bytes.size();
  total_bytes_ += c.bytes.size();
  source_name_ = c.name;
  serial_ = c.serial;
  line_no_ = c.line;
  at_file_start_ = c.line == 0;
  eof_ = true;  // hand out these bytes, then ask for more
  return true;
}

bool InputReader::follow_open(int timeout_ms, ReadStatus* st) {
  if (follow_done_) checkpoint();  // lines read ahead (--format auto) are done with only now
  fd_ = -1;
  for (;;) {
    if (follow_done_) {
      *st = ReadStatus::Eof;
      return false;
    }
    if (follower_->open_next()) {
      const Follower::Current& c = follower_->current();
      fd_ = c.fd;
      file_pos_ = c.pos;
      if (::lseek(fd_, off_t(c.pos), SEEK_SET) < 0) throw Fatal(c.display + ": " + std::strerror(errno));
      source_name_ = c.display;
      line_no_ = c.line;
      serial_ = c.serial;
      eof_ = false;
      at_file_start_ = c.pos == 0;
      return true;
    }
    if (follower_->once()) {
      follow_done_ = true;
      continue;
    }
    if (before_block_) before_block_();
    if (stop_requested()) {
      *st = ReadStatus::Interrupted;
      return false;
    }
    follow_wait(timeout_ms < 0 ? follower_->poll_ms() : std::min(timeout_ms, follower_->poll_ms()));
    if (stop_requested()) {
      *st = ReadStatus::Interrupted;
      return false;
    }
    if (timeout_ms >= 0) {
      *st = ReadStatus::Timeout;
      return false;
    }
  }
}

bool InputReader::follow_wait(int ms) {
  // A signal (no SA_RESTART) ends the wait early.
  const int fd = fd_;
  fd_ = -1;  // a regular file is always ready: wait the time
  int r = wait_input(ms);
  fd_ = fd;
  return r < 0;
}

ssize_t InputReader::read_some(char* dst, size_t n) {
  return ahead_ ? ahead_->read(dst, n) : ::read(fd_, dst, n);
}

int InputReader::wait_input(int ms) {
  pollfd p[2] = {{input_fd(), POLLIN, 0}, {out_fd_, 0, 0}};
  pollfd* first = fd_ >= 0 ? &p[0] : &p[1];
  const nfds_t n = nfds_t((fd_ >= 0) + (out_fd_ >= 0));
  if (n == 0) return ::poll(nullptr, 0, ms);
  int r = ::poll(first, n, ms);
  if (r > 0 && out_fd_ >= 0 && (p[1].revents & (POLLERR | POLLHUP))) {
    // The next stage is gone. When a Ctrl-C ended it, the same SIGINT is on
    // its way here: a moment for it, so the tool dies by it (run_tool) and
    // the shell sees 130, not a quiet 0.
    if (!stop_requested()) ::poll(nullptr, 0, 200);
    throw BrokenPipe();
  }
  if (r > 0 && fd_ >= 0 && p[0].revents == 0) return 0;  // only the output said something
  return r;
}

void InputReader::checkpoint() {
  if (!follower_ || fd_ < 0 || discarding_) return;
  const uint64_t c = consumed();
  if (c == checkpointed_ && serial_ == checkpointed_serial_) return;
  checkpointed_ = c;
  checkpointed_serial_ = serial_;
  ReadPosition p = follower_->position(c, line_no_, file_pos_);
  if (checkpoint_) return checkpoint_(p);
  // Read ahead: kept (the latest of each source) until on_checkpoint.
  for (ReadPosition& e : early_)
    if (e.source == p.source) {
      e = std::move(p);
      return;
    }
  early_.push_back(std::move(p));
}

void InputReader::on_checkpoint(std::function<void(const ReadPosition&)> fn) {
  checkpoint_ = std::move(fn);
  for (const ReadPosition& p : early_) checkpoint_(p);
  early_.clear();
}

std::string InputReader::first_line() {
  std::string line;
  if (fd_ < 0) return line;
  char b[4096];
  for (uint64_t at = 0; line.size() <= max_line_;) {
    ssize_t n = ::pread(fd_, b, sizeof b, off_t(at));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    const void* nl = std::memchr(b, '\n', size_t(n));
    line.append(b, nl ? size_t(static_cast<const char*>(nl) - b) : size_t(n));
    if (nl) break;
    at += uint64_t(n);
  }
  if (strip_bom_ && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

bool InputReader::follow_at_end(int timeout_ms, bool* timed_out, bool* interrupted) {
  switch (follower_->after_eof(file_pos_, consumed(), line_no_)) {
    case Follower::Step::Retry:
      if (follower_->restarted()) {  // copytruncate: the same file, new bytes from 0
        if (discarding_) long_line_ended();
        begin_ = end_ = scanned_ = 0;
        quote_parity_ = 0;
        quote_free_end_ = 0;
        file_pos_ = 0;
        if (::lseek(fd_, 0, SEEK_SET) < 0) throw Fatal(source_name_ + ": " + std::strerror(errno));
        line_no_ = 0;
        serial_ = follower_->current().serial;
        at_file_start_ = true;
      }
      return true;
    case Follower::Step::Switch:
      checkpoint();
      file_pos_ -= end_ - begin_;  // a part of a line: read again when this file is back
      begin_ = end_;
      scanned_ = 0;
      eof_ = true;
      return false;
    case Follower::Step::End:
      eof_ = true;  // its last line, complete or not, is a record
      return false;
    case Follower::Step::Idle: {
      checkpoint();
      if (before_block_) before_block_();
      const int poll = follower_->poll_ms();
      if (!stop_requested() || read_after_stop_) follow_wait(timeout_ms < 0 ? poll : std::min(timeout_ms, poll));
      if (stop_requested() && !read_after_stop_)
        *interrupted = true;
      else if (timeout_ms >= 0)
        *timed_out = true;
      return true;
    }
    case Follower::Step::Eof:
      checkpoint();
      file_pos_ -= end_ - begin_;  // a line still being written: the next run reads it whole
      begin_ = end_;
      scanned_ = 0;
      eof_ = true;
      follow_done_ = true;
      return false;
  }
  return false;
}

bool InputReader::fill(int timeout_ms, bool* timed_out, bool* interrupted) {
  *timed_out = false;
  *interrupted = false;
  // Make room: move unread bytes to the front, grow for long lines.
  if (begin_ > 0 && (cap_ - end_ < kReadSize || begin_ == end_)) {
    std::memmove(buf_, buf_ + begin_, end_ - begin_);
    quote_free_end_ = 0;  // offsets moved: find the next quote again
    end_ -= begin_;
    begin_ = 0;
  }
  if (cap_ - end_ < kReadSize / 2) {
    size_t ncap = cap_ * 2;
    char* nb = static_cast<char*>(std::realloc(buf_, ncap + kInputPadding));
    if (!nb) throw Fatal("out of memory");
    buf_ = nb;
    cap_ = ncap;
    std::memset(buf_ + cap_, 0, kInputPadding);
  }
  if (stop_requested() && !read_after_stop_) {
    *interrupted = true;
    return true;
  }
  if (follower_) checkpoint();  // the lines handed out so far are done with
  if (before_block_ || timeout_ms >= 0) {
    pollfd pfd{input_fd(), POLLIN, 0};
    int r = ::poll(&pfd, 1, 0);
    if (r == 0) {
      if (before_block_) before_block_();
      r = wait_input(timeout_ms);
      if (r == 0) {
        *timed_out = true;
        return true;
      }
    }
    if (r < 0) {
      if (errno == EINTR) {
        *interrupted = stop_requested() && !read_after_stop_;
        *timed_out = !*interrupted;  // some other signal: just report no data
        return true;
      }
      throw Fatal(source_name_ + ": " + std::strerror(errno));
    }
  }
  for (;;) {
    // Followed files in smaller reads: a checkpoint after each (a resumed
    // run reads less again).
    ssize_t n = read_some(buf_ + end_, std::min(follower_ ? kFollowReadSize : kReadSize, cap_ - end_));
    if (n > 0) {
      end_ += size_t(n);
      total_bytes_ += uint64_t(n);
      file_pos_ += uint64_t(n);
      return true;
    }
    if (n == 0) {
      if (follower_) return follow_at_end(timeout_ms, timed_out, interrupted);
      eof_ = true;
      return false;
    }
    if (errno == EINTR) {
      if (stop_requested() && !read_after_stop_) {
        *interrupted = true;
        return true;
      }
      continue;
    }
    if (errno == EAGAIN) {  // non-blocking stdin (or nothing read ahead yet): wait for it
      pollfd pfd{input_fd(), POLLIN, 0};
      (void)::poll(&pfd, 1, timeout_ms < 0 ? -1 : timeout_ms);
      *timed_out = true;
      return true;
    }
    throw Fatal(source_name_ + ": read error: " + std::strerror(errno));
  }
}

void InputReader::long_line_ended() {
  discarding_ = false;
  if (long_line_) long_line_(source_name_, discard_line_, discard_len_);
}

ReadStatus InputReader::next(Line& line, int timeout_ms) {
  for (;;) {
    if ((fd_ < 0 && !listening_) || (eof_ && begin_ == end_)) {
      if (discarding_) long_line_ended();  // the file ended inside it
      if (follower_) {
        ReadStatus st;
        if (!follow_open(timeout_ms, &st)) return st;
      } else if (listening_ || (!open_next() && listener_)) {
        ReadStatus st;
        if (!listen_open(timeout_ms, &st)) return st;
      } else if (fd_ < 0) {
        return ReadStatus::Eof;
      }
      if (!listening_) begin_ = end_ = 0;
      scanned_ = 0;
      quote_parity_ = 0;
      quote_free_end_ = 0;
    }
    if (at_file_start_ && strip_bom_) {
      if (end_ - begin_ >= 3 || eof_) {
        at_file_start_ = false;
        if (end_ - begin_ >= 3 && std::memcmp(buf_ + begin_, "\xEF\xBB\xBF", 3) == 0) begin_ += 3;
      }
    }
    if (!at_file_start_ || !strip_bom_) {
      size_t avail = end_ - begin_;
      size_t rel;
      bool plain = !quote_aware_;  // no quote in the record: no newline inside it either
      if (quote_aware_) {
        // Most CSV has no quotes: up to the next quote byte, a record ends at
        // the first newline (memchr); from a quote on, the quote-aware kernel.
        const size_t from = begin_ + scanned_;
        if (quote_parity_ == 0 && quote_free_end_ <= from) {
          const void* q = std::memchr(buf_ + from, quote_, end_ - from);
          quote_free_end_ = q ? size_t(static_cast<const char*>(q) - buf_) : end_;
        }
        size_t nl = quote_parity_ == 0 ? find_line_end(buf_ + from, quote_free_end_ - from) : 0;
        if (quote_parity_ == 0 && from + nl < quote_free_end_) {
          rel = scanned_ + nl;
          plain = true;
        } else if (quote_parity_ == 0 && quote_free_end_ == end_) {
          rel = avail;  // no quote and no line end in what we have
        } else {
          rel = scanned_ + find_record_end_quoted(buf_ + from, avail - scanned_, quote_, &quote_parity_);
        }
      } else {
        rel = scanned_ + find_line_end(buf_ + begin_ + scanned_, avail - scanned_);
      }
      bool have_end = rel < avail;
      if (discarding_) {
        if (!have_end) {
          discard_len_ += avail;
          begin_ = end_;
          scanned_ = 0;
        } else {
          discard_len_ += rel;
          long_line_ended();
          begin_ += rel + 1;
          scanned_ = 0;
          quote_parity_ = 0;
          discarding_ = false;
          continue;
        }
      } else if (have_end || (eof_ && avail > 0) || rel > max_line_) {
        const char* p = buf_ + begin_;
        size_t len = have_end ? rel : avail;
        bool too_long = len > max_line_;
        if (too_long) len = max_line_;
        line.text = std::string_view(p, len);
        // At end of input an unterminated quoted record may end with '\n'.
        if (!have_end && !too_long && !line.text.empty() && line.text.back() == '\n') line.text.remove_suffix(1);
        if (!too_long && !line.text.empty() && line.text.back() == '\r') line.text.remove_suffix(1);
        line.source = source_name_;
        line.serial = serial_;
        line.number = ++line_no_;
        if (!plain && !too_long) line_no_ += count_byte(p, len, '\n');
        line.capacity = cap_ + kInputPadding - size_t(p - buf_);
        line.too_long = too_long;
        if (too_long && !have_end) {
          begin_ = end_;  // drop the rest of this line as it arrives
          discarding_ = true;
          discard_line_ = line.number;
          discard_len_ = avail;
        } else {
          if (too_long && long_line_) long_line_(source_name_, line.number, rel);
          begin_ += have_end ? rel + 1 : avail;
        }
        scanned_ = 0;
        quote_parity_ = 0;
        return ReadStatus::Line;
      } else {
        scanned_ = rel;  // no line end in what we have; quote parity covers it
      }
    }
    if (eof_) continue;  // finished this file: open the next
    bool timed_out = false, interrupted = false;
    fill(timeout_ms, &timed_out, &interrupted);
    if (interrupted) return ReadStatus::Interrupted;
    if (timed_out && timeout_ms >= 0) return ReadStatus::Timeout;  // with no timeout: wait on
  }
}

ReadStatus InputReader::next_block(Block& b, int timeout_ms) {
  Line line;
  ReadStatus st = next(line, timeout_ms);
  if (st != ReadStatus::Line) return st;
  b.text = line.text;
  b.source = line.source;
  b.serial = line.serial;
  b.first_line = line.number;
  b.lines = 1;
  b.capacity = line.capacity;
  b.too_long = line.too_long;
  // Extend over the complete lines that follow in the buffer, when none of
  // them can be over-long (the buffer is smaller than the longest line).
  if (line.too_long || quote_aware_ || max_line_ < cap_ || begin_ >= end_) return st;
  const char* s = buf_ + begin_;
  const void* last = ::memrchr(s, '\n', end_ - begin_);
  if (!last) return st;
  const char* l = static_cast<const char*>(last);
  uint64_t extra = count_byte(s, size_t(l - s), '\n') + 1;
  b.text = std::string_view(line.text.data(), size_t(l - line.text.data()));
  b.lines += extra;
  line_no_ += extra;
  begin_ += size_t(l - s) + 1;
  scanned_ = 0;
  return st;
}

}  // namespace su
