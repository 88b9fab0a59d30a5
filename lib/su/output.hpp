// Buffered NDJSON output: large blocks under load, flushed on demand (before a
// tool blocks on input), EPIPE reported as su::BrokenPipe.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace su {

class Output {
 public:
  explicit Output(int fd = 1, size_t block = size_t(256) << 10);
  ~Output();
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  // The pending bytes: append to it directly, then call end_record().
  std::string& buf() { return buf_; }
  void write(std::string_view s) { buf_.append(s); }
  void put(char c) { buf_.push_back(c); }
  // Writes the buffer out once it holds a block.
  void end_record() {
    if (buf_.size() >= block_) flush();
  }
  // Writes everything held. Throws BrokenPipe / Fatal. A no-op when closed.
  void flush();
  int fd() const { return fd_; }
  // Opens a file for writing (truncating); throws Fatal on failure.
  static int open_file(const std::string& path);
  void close_fd();

 private:
  int fd_;
  size_t block_;
  std::string buf_;
};

// JSON text helpers. Strings are escaped per RFC 8259; bytes that are not
// valid UTF-8 are written as \u00XX (so nothing is dropped).
void append_json_string(std::string& out, std::string_view s);
void append_int(std::string& out, int64_t v);
// Shortest round-trip text; NaN and infinities become null.
void append_double(std::string& out, double v);

// Appends members to the raw text of a JSON object without re-serialising it:
// `members` is `"k":v,"k2":v2` (no leading comma). Returns false when raw does
// not end with '}'.
bool append_members_to_object(std::string& out, std::string_view raw_object,
                              std::string_view members);

}  // namespace su
