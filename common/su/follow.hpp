// Followed files (stream-parse --follow, CONTRACT 8 and 9): which file to
// read next, like `tail -F` but with no line lost. A file is known by its
// identity (device, inode and a fingerprint of its first bytes), so a rename
// rotation, a copytruncate and a new file that reuses an inode are each
// noticed. The input reader (su::InputReader) owns the bytes; this class owns
// the descriptors and the decisions.
#pragma once
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace su {

// Bytes of a file's start that its fingerprint covers (fewer while the file
// is shorter).
inline constexpr uint32_t kFingerprintBytes = 1024;

struct FileIdentity {
  uint64_t dev = 0, ino = 0;
  uint32_t fp_len = 0;  // bytes the fingerprint covers
  uint64_t fp = 0;      // XXH3 of them
  // "DEV:INO:LEN:HASH" (HASH in hex): the `file` of a checkpoint.
  std::string text() const;
  static std::optional<FileIdentity> parse(std::string_view s);
};

// The identity of an open file: its device and inode, and the fingerprint of
// its first bytes (up to kFingerprintBytes). Throws su::Fatal on a read error.
FileIdentity identify(int fd);
// Whether the first id.fp_len bytes of fd hash to id.fp.
bool same_start(int fd, const FileIdentity& id);

// Where a followed file is read from: what a checkpoint records.
struct ReadPosition {
  std::string source;   // the followed name made absolute: the checkpoint's key
  std::string file;     // FileIdentity::text()
  uint64_t offset = 0;  // the byte after the last line handed out
  uint64_t line = 0;    // lines handed out before offset
  uint64_t size = 0;    // bytes known to be in the file (read so far)
};

// A file to read before a followed name, when resuming: a rotated sibling
// (or the name itself) from a byte offset.
struct ResumeFile {
  std::string path;
  uint64_t offset = 0;
  uint64_t line = 0;
};

struct FollowOptions {
  bool once = false;             // --once: end at the current end of every file
  int poll_ms = 100;             // how often an idle file is looked at
  int rotation_quiet_ms = 1000;  // a renamed file is read until quiet this long
};

class Follower {
 public:
  // One source per name; a name that does not exist yet is waited for.
  Follower(std::vector<std::string> names, FollowOptions o);
  ~Follower();
  Follower(const Follower&) = delete;
  Follower& operator=(const Follower&) = delete;

  // Files to read, in order, before a name itself (resume); the first may
  // start at an offset. When `start_of_name` is set the name itself starts
  // there (the checkpoint was in it).
  void resume(size_t name, std::vector<ResumeFile> before, std::optional<ResumeFile> start_of_name);

  // The file being read, as the reader sees it.
  struct Current {
    int fd = -1;
    std::string display;        // the source in diagnostics: the path read
    uint64_t pos = 0;           // file offset to read from next
    uint64_t line = 0;          // lines before pos
    bool header_first = false;  // pos > 0: hand out line 1 first (CSV headers)
    uint32_t serial = 0;        // changes with each new source
  };

  // What the reader does after the current file gave no more bytes.
  enum class Step {
    Retry,   // the current file has more (or started over: see restarted())
    Switch,  // another file has bytes: save the current, then take current()
    End,     // the current file ended for good (rotated away): its last line is a record; then take current()
    Idle,    // nothing anywhere: wait poll_ms and ask again
    Eof,     // --once and every file at its end, or no file at all
  };
  // pos: the file offset just past the bytes read; consumed: past the last
  // line handed out; line: lines handed out.
  Step after_eof(uint64_t pos, uint64_t consumed, uint64_t line);
  // The current file shrank or was rewritten (copytruncate): read it again
  // from 0 as a new source. Cleared by the call.
  bool restarted();
  // Makes the next file with bytes current (after Switch or End, or at the
  // start). False when there is none yet.
  bool open_next();
  const Current& current() const { return cur_; }
  // The checkpoint of the current file at `consumed` (line `line`), read
  // `pos` bytes so far.
  ReadPosition position(uint64_t consumed, uint64_t line, uint64_t pos);
  int poll_ms() const { return o_.poll_ms; }
  bool once() const { return o_.once; }

 private:
  struct File;
  struct Name;
  bool grows(const File& f) const;
  void look(Name& n, int64_t now_ms);
  bool activate(size_t name);
  int64_t now_ms() const;

  FollowOptions o_;
  std::vector<Name*> names_;
  size_t active_ = size_t(-1);  // index into names_
  Current cur_;
  uint32_t serial_ = 0;
  bool restarted_ = false;
  bool switched_ = false;  // the last after_eof() said Switch
};

// The absolute form of a path (its directory resolved; the file itself may
// not exist yet).
std::string absolute_path(const std::string& path);

}  // namespace su
