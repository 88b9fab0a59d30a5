// The read-ahead thread (see read_ahead.hpp).
#include "su/read_ahead.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "su/core/error.hpp"
#include "su/signals.hpp"

namespace su {

bool ReadAhead::enabled() {
  static const bool on = [] {
    const char* e = std::getenv("STREAM_UTILS_READ_AHEAD");
    return !(e && std::string_view(e) == "0");
  }();
  return on;
}

ReadAhead::ReadAhead(int fd) : fd_(fd) {
  ready_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  stop_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (ready_fd_ < 0 || stop_fd_ < 0) {
    const int e = errno;
    if (ready_fd_ >= 0) ::close(ready_fd_);
    if (stop_fd_ >= 0) ::close(stop_fd_);
    throw Fatal(std::string("eventfd: ") + std::strerror(e));
  }
  for (auto& c : store_) {
    c.bytes = std::make_unique<char[]>(kChunk);
    free_.push_back(&c);
  }
  thread_ = thread_without_stop_signals([this] { run(); });
}

ReadAhead::~ReadAhead() {
  {
    std::lock_guard<std::mutex> lk(m_);
    stopping_ = true;
  }
  free_cv_.notify_all();
  const uint64_t one = 1;
  (void)!::write(stop_fd_, &one, sizeof one);
  thread_.join();
  ::close(ready_fd_);
  ::close(stop_fd_);
}

void ReadAhead::run() {
  for (;;) {
    Chunk* c;
    {
      std::unique_lock<std::mutex> lk(m_);
      free_cv_.wait(lk, [this] { return stopping_ || !free_.empty(); });
      if (stopping_) return;
      c = free_.back();
      free_.pop_back();
    }
    c->size = c->taken = 0;
    c->error = 0;
    for (;;) {
      pollfd p[2] = {{fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
      if (::poll(p, 2, -1) < 0 && errno != EINTR) {
        c->error = errno;
        break;
      }
      if (p[1].revents) return;
      if (!p[0].revents) continue;
      const ssize_t n = ::read(fd_, c->bytes.get(), kChunk);
      if (n >= 0) {
        c->size = size_t(n);
        break;
      }
      if (errno == EINTR || errno == EAGAIN) continue;
      c->error = errno;
      break;
    }
    const bool last = c->size == 0;  // end of input, or an error
    {
      std::lock_guard<std::mutex> lk(m_);
      ready_.push_back(c);
    }
    const uint64_t one = 1;
    (void)!::write(ready_fd_, &one, sizeof one);
    if (last) return;
  }
}

ssize_t ReadAhead::read(char* dst, size_t n) {
  uint64_t count;
  (void)!::read(ready_fd_, &count, sizeof count);  // first: a chunk queued after this wakes the next poll
  ssize_t r = 0;
  int error = 0;
  bool freed = false, more = false;
  {
    std::lock_guard<std::mutex> lk(m_);
    if (ready_.empty()) {
      errno = EAGAIN;
      return -1;
    }
    Chunk* c = ready_.front();
    if (c->size == 0) {  // the end, kept: every later read says it again
      error = c->error;
      r = error ? -1 : 0;
    } else {
      const size_t k = std::min(n, c->size - c->taken);
      std::memcpy(dst, c->bytes.get() + c->taken, k);
      c->taken += k;
      r = ssize_t(k);
      if (c->taken == c->size) {
        ready_.pop_front();
        free_.push_back(c);
        freed = true;
      }
    }
    more = !ready_.empty();
  }
  if (freed) free_cv_.notify_one();
  if (more) {  // still something to read: the next poll must not wait
    const uint64_t one = 1;
    (void)!::write(ready_fd_, &one, sizeof one);
  }
  if (r < 0) errno = error;
  return r;
}

}  // namespace su
