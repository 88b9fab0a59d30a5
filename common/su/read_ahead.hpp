// Reading a pipe on a thread of its own: the kernel's copy out of the pipe
// (and the wake-ups it takes) happen on the other core while the tool parses
// what came before. Bounded: at most kChunks reads of kChunk bytes wait, so
// a slow tool holds its upstream back as the pipe alone would.
//
// Usage: poll() ready_fd() for POLLIN instead of the pipe, and read() from
// here instead of ::read; the descriptor stays the caller's.
#pragma once
#include <sys/types.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace su {

class ReadAhead {
 public:
  static constexpr size_t kChunk = size_t(1) << 20;
  static constexpr size_t kChunks = 4;

  explicit ReadAhead(int fd);
  ~ReadAhead();  // stops the thread (it may be waiting for input) and joins it
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // As ::read: bytes copied (at most n), 0 at end of input, or -1 with errno
  // (EAGAIN: nothing read yet; poll ready_fd()). Never blocks.
  ssize_t read(char* dst, size_t n);
  // Readable when read() may have something.
  int ready_fd() const { return ready_fd_; }

  // STREAM_UTILS_READ_AHEAD=0 turns it off (every read on the tool's thread).
  static bool enabled();

 private:
  struct Chunk {
    std::unique_ptr<char[]> bytes;
    size_t size = 0, taken = 0;
    int error = 0;  // errno of a failed read; size 0 and no error: end of input
  };
  void run();

  int fd_;
  int ready_fd_ = -1;  // eventfd: a chunk was queued
  int stop_fd_ = -1;   // eventfd: the destructor asks the thread to end
  std::mutex m_;
  std::condition_variable free_cv_;
  std::vector<Chunk*> free_;
  std::deque<Chunk*> ready_;
  Chunk store_[kChunks];
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace su
