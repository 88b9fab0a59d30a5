// Output: a RecordBuffer written to a file descriptor.
#include "su/output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "su/core/error.hpp"
#include "su/simd/line_scan.hpp"

namespace su {

void widen_pipe(int fd) {
  struct stat st;
  if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode)) return;
  static const int size = [] {
    long max = 1 << 20;
    if (FILE* f = std::fopen("/proc/sys/fs/pipe-max-size", "re")) {
      long v = 0;
      if (std::fscanf(f, "%ld", &v) == 1 && v > 0) max = v;
      std::fclose(f);
    }
    return int(std::min<long>(max, 4L << 20));
  }();
  if (::fcntl(fd, F_GETPIPE_SZ) < size) (void)::fcntl(fd, F_SETPIPE_SZ, size);  // best effort
}

Output::Output(int fd, size_t block) : RecordBuffer(block), fd_(fd) {
  buf_.reserve(block + (64 << 10));
  widen_pipe(fd);
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
