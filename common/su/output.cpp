// Output: a RecordBuffer written to a file descriptor.
#include "su/output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "su/core/error.hpp"
#include "su/simd/line_scan.hpp"

namespace su {

Output::Output(int fd, size_t block) : RecordBuffer(block), fd_(fd) {
  buf_.reserve(block + (64 << 10));
}

Output::~Output() {
  try {
    flush();
  } catch (...) {
  }
  if (fd_ > 2) ::close(fd_);
}

int Output::open_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) throw Fatal(path + ": " + std::strerror(errno));
  return fd;
}

void Output::close_fd() {
  flush();
  if (fd_ > 2) ::close(fd_);
  fd_ = -1;
}

uint64_t Output::lines() {
  counting_ = true;
  if (counted_ > buf_.size()) counted_ = buf_.size();
  lines_ += count_byte(buf_.data() + counted_, buf_.size() - counted_, '\n');
  counted_ = buf_.size();
  return lines_;
}

void Output::flush() {
  if (counting_) lines();
  counted_ = 0;
  size_t off = 0;
  if (fd_ < 0) {
    buf_.clear();
    return;
  }
  while (off < buf_.size()) {
    ssize_t n = ::write(fd_, buf_.data() + off, buf_.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      buf_.clear();
      if (e == EPIPE) throw BrokenPipe();
      throw Fatal(std::string("write error: ") + std::strerror(e));
    }
    off += size_t(n);
  }
  buf_.clear();
}

}  // namespace su
