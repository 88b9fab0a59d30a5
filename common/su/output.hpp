// Buffered NDJSON output to a file descriptor: large blocks under load, flushed on demand (before a
// tool blocks on input), EPIPE reported as su::BrokenPipe.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "su/core/buffer.hpp"
#include "su/core/json_write.hpp"

namespace su {

// Raises the buffer of a pipe to the largest the kernel allows
// (/proc/sys/fs/pipe-max-size, at most 4 MiB): a 64 KiB default pipe makes
// each stage of a pipeline wake up and copy four times per 256 KiB block.
// Keeps the default, silently, where the call is refused or fd is no pipe.
void widen_pipe(int fd);

// A RecordBuffer written to a file descriptor (a pipe widened, widen_pipe).
class Output : public RecordBuffer {
 public:
  explicit Output(int fd = 1, size_t block = size_t(256) << 10);
  ~Output() override;

  // Writes everything held. Throws BrokenPipe / Fatal. A no-op when closed.
  void flush() override;
  int fd() const { return fd_; }
  // Opens a file for writing (truncating); throws Fatal on failure.
  static int open_file(const std::string& path);
  void close_fd();
  // The lines (records) given to it so far, written or held. Counted from
  // the first call on, only for a tool that asks (HTTP ingest's counts).
  uint64_t lines();

 private:
  int fd_;
  bool counting_ = false;
  uint64_t lines_ = 0;
  size_t counted_ = 0;  // bytes at the front of buf_ counted in lines_
};

}  // namespace su
