// Where engines write their records: a string they append NDJSON to, which
// the owner drains once it holds a block. The library knows no file
// descriptors: the common layer's su::Output writes a full buffer to its fd;
// a plain RecordBuffer (tests, in-process use) just keeps the bytes.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace su {

class RecordBuffer {
 public:
  explicit RecordBuffer(size_t block = size_t(256) << 10) : block_(block) {}
  virtual ~RecordBuffer() = default;
  RecordBuffer(const RecordBuffer&) = delete;
  RecordBuffer& operator=(const RecordBuffer&) = delete;

  // The pending bytes: append to it directly, then call end_record().
  std::string& buf() { return buf_; }
  void write(std::string_view s) { buf_.append(s); }
  void put(char c) { buf_.push_back(c); }
  // After each record: hands the bytes on once they fill a block.
  void end_record() {
    if (buf_.size() >= block_) flush();
  }
  // Hands on everything held. A plain buffer keeps it (buf() shows it).
  virtual void flush() {}

 protected:
  size_t block_;
  std::string buf_;
};

}  // namespace su
