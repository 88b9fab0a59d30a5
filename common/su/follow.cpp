// Followed files (see follow.hpp): stat() and fstat() decide, inotify only
// shortens the wait.
#include "su/follow.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "su/core/error.hpp"
#include "su/core/hash.hpp"

namespace su {

std::string FileIdentity::text() const {
  char hex[17];
  auto r = std::to_chars(hex, hex + 16, fp, 16);
  std::string h(hex, r.ptr);
  std::string s = std::to_string(dev);
  s.push_back(':');
  s.append(std::to_string(ino));
  s.push_back(':');
  s.append(std::to_string(fp_len));
  s.push_back(':');
  s.append(16 - h.size(), '0');
  s.append(h);
  return s;
}

std::optional<FileIdentity> FileIdentity::parse(std::string_view s) {
  FileIdentity id;
  auto field = [&s](auto& v, int base) {
    const char* end = s.data() + s.size();
    auto r = std::from_chars(s.data(), end, v, base);
    if (r.ec != std::errc() || r.ptr == s.data()) return false;
    s.remove_prefix(size_t(r.ptr - s.data()));
    if (!s.empty() && s.front() == ':') s.remove_prefix(1);
    return true;
  };
  if (!field(id.dev, 10) || !field(id.ino, 10) || !field(id.fp_len, 10) || !field(id.fp, 16) || !s.empty())
    return std::nullopt;
  if (id.fp_len > kFingerprintBytes) return std::nullopt;
  return id;
}

namespace {
// Up to n bytes from offset 0 (fewer at the end of the file).
std::string read_start(int fd, size_t n) {
  std::string b(n, '\0');
  size_t got = 0;
  while (got < n) {
    ssize_t r = ::pread(fd, b.data() + got, n - got, off_t(got));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) throw Fatal(std::string("read error: ") + std::strerror(errno));
    if (r == 0) break;
    got += size_t(r);
  }
  b.resize(got);
  return b;
}
}  // namespace

FileIdentity identify(int fd) {
  FileIdentity id;
  struct stat st;
  if (::fstat(fd, &st) != 0) throw Fatal(std::string("stat: ") + std::strerror(errno));
  id.dev = uint64_t(st.st_dev);
  id.ino = uint64_t(st.st_ino);
  std::string start = read_start(fd, kFingerprintBytes);
  id.fp_len = uint32_t(start.size());
  id.fp = hash_bytes(start);
  return id;
}

bool same_start(int fd, const FileIdentity& id) {
  std::string start = read_start(fd, id.fp_len);
  return start.size() == id.fp_len && hash_bytes(start) == id.fp;
}

std::string absolute_path(const std::string& path) {
  if (path.empty() || path == "-") return path;
  std::string dir = ".", base = path;
  size_t slash = path.rfind('/');
  if (slash != std::string::npos) {
    dir = slash == 0 ? "/" : path.substr(0, slash);
    base = path.substr(slash + 1);
  }
  char* real = ::realpath(dir.c_str(), nullptr);
  if (!real) return path;  // a folder that does not exist yet: as named
  std::string r(real);
  std::free(real);
  if (r.back() != '/') r.push_back('/');
  return r + base;
}

struct Follower::File {
  std::string path;
  int fd = -1;
  FileIdentity id;
  uint64_t pos = 0;       // next byte to read
  uint64_t consumed = 0;  // past the last line handed out
  uint64_t line = 0;
  bool final = false;        // ends at its end (a rotated or a resumed older file)
  int64_t quiet_since = -1;  // rotated away: when it last gave bytes (ms)
  uint32_t serial = 0;

  void close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  // A file shorter than the fingerprint when it was taken has grown past it: take it again.
  void refresh_identity(uint64_t read) {
    if (fd >= 0 && id.fp_len < kFingerprintBytes && read > id.fp_len) id = identify(fd);
  }
};

struct Follower::Name {
  std::string path, key;
  std::deque<File> files;           // front: the one read; the last one is the name's own (when open)
  std::optional<ResumeFile> start;  // where the name's own file starts (resume)
  bool opened = false;              // the name's own file has been open once
};

Follower::Follower(std::vector<std::string> names, FollowOptions o) : o_(o) {
  for (auto& n : names) {
    auto* m = new Name;
    m->path = n;
    m->key = absolute_path(n);
    names_.push_back(m);
  }
}

Follower::~Follower() {
  for (Name* n : names_) {
    for (File& f : n->files) f.close();
    delete n;
  }
}

int64_t Follower::now_ms() const {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

void Follower::resume(size_t name, std::vector<ResumeFile> before, std::optional<ResumeFile> start_of_name) {
  Name& n = *names_.at(name);
  for (auto& r : before) {
    File f;
    f.path = r.path;
    f.fd = ::open(r.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (f.fd < 0) throw Fatal(r.path + ": " + std::strerror(errno));
    f.id = identify(f.fd);
    f.pos = f.consumed = r.offset;
    f.line = r.line;
    f.final = true;
    f.serial = ++serial_;
    n.files.push_back(std::move(f));
  }
  n.start = std::move(start_of_name);
}

// Opens the name's own file when it exists and is not open yet.
void Follower::look(Name& n, int64_t now) {
  struct stat st;
  const bool exists = ::stat(n.path.c_str(), &st) == 0;
  File* own = n.files.empty() || n.files.back().final ? nullptr : &n.files.back();
  if (own && exists && (uint64_t(st.st_dev) != own->id.dev || uint64_t(st.st_ino) != own->id.ino)) {
    // Renamed away (or deleted) and a new file under the name: finish the
    // old one through its descriptor, until it has been quiet a while.
    own->final = true;
    own->quiet_since = now;
    own = nullptr;
  }
  if (own || !exists) return;
  if (S_ISDIR(st.st_mode)) throw Fatal(n.path + ": is a directory");
  File f;
  f.path = n.path;
  f.fd = ::open(n.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f.fd < 0) {
    if (errno == ENOENT) return;  // gone again: wait
    throw Fatal(n.path + ": " + std::strerror(errno));
  }
  f.id = identify(f.fd);
  if (!n.opened && n.start) {
    f.pos = f.consumed = n.start->offset;
    f.line = n.start->line;
  }
  n.opened = true;
  f.serial = ++serial_;
  n.files.push_back(std::move(f));
}

bool Follower::grows(const File& f) const {
  struct stat st;
  return ::fstat(f.fd, &st) == 0 && uint64_t(st.st_size) > f.pos;
}

bool Follower::activate(size_t i) {
  Name& n = *names_[i];
  if (n.files.empty()) return false;
  File& f = n.files.front();
  active_ = i;
  f.pos = f.consumed;  // what was read past the last line is read again
  cur_.fd = f.fd;
  cur_.display = f.path;
  cur_.pos = f.consumed;
  cur_.line = f.line;
  cur_.header_first = f.consumed > 0;
  cur_.serial = f.serial;
  return true;
}

bool Follower::open_next() {
  const int64_t now = now_ms();
  // The active name first (its next file), then the others in order.
  const size_t count = names_.size();
  // After a switch the others first; after an end, the same name's next file.
  const size_t from = active_ == size_t(-1) ? 0 : switched_ ? active_ + 1 : active_;
  const bool again = active_ != size_t(-1) && !switched_;
  switched_ = false;
  for (size_t k = 0; k < count; ++k) {
    size_t i = (from + k) % count;
    Name& n = *names_[i];
    look(n, now);
    if (n.files.empty()) continue;
    File& f = n.files.front();
    if (k == 0 && again) return activate(i);
    if (f.final || grows(f)) return activate(i);
  }
  return false;
}

bool Follower::restarted() {
  bool r = restarted_;
  restarted_ = false;
  return r;
}

Follower::Step Follower::after_eof(uint64_t pos, uint64_t consumed, uint64_t line) {
  const int64_t now = now_ms();
  Name& n = *names_[active_];
  File& f = n.files.front();
  const bool grew = pos > f.pos;
  f.pos = pos;
  f.consumed = consumed;
  f.line = line;
  struct stat st;
  if (::fstat(f.fd, &st) != 0) throw Fatal(f.path + ": " + std::strerror(errno));
  if (uint64_t(st.st_size) < pos || (!f.final && uint64_t(st.st_size) == pos && !same_start(f.fd, f.id))) {
    // copytruncate (or rewritten in place): the bytes are new; read them from 0.
    f.pos = f.consumed = f.line = 0;
    f.id = identify(f.fd);
    f.serial = ++serial_;
    cur_.pos = 0;
    cur_.line = 0;
    cur_.header_first = false;
    cur_.serial = f.serial;
    restarted_ = true;
    return Step::Retry;
  }
  if (uint64_t(st.st_size) > pos) return Step::Retry;
  f.refresh_identity(pos);
  look(n, now);
  if (f.final) {
    if (grew) f.quiet_since = now;
    // A resumed older file ends at its end; a renamed one once it has been quiet.
    const bool done = f.quiet_since < 0 || o_.once || now - f.quiet_since >= o_.rotation_quiet_ms;
    if (done) {
      f.close();
      n.files.pop_front();
      return Step::End;
    }
  }
  for (size_t k = 1; k < names_.size(); ++k) {
    size_t i = (active_ + k) % names_.size();
    Name& m = *names_[i];
    look(m, now);
    if (!m.files.empty() && (m.files.front().final || grows(m.files.front()))) {
      f.pos = f.consumed;  // what was read past the last line is read again
      switched_ = true;
      return Step::Switch;
    }
  }
  return o_.once && !f.final ? Step::Eof : Step::Idle;
}

ReadPosition Follower::position(uint64_t consumed, uint64_t line, uint64_t pos) {
  Name& n = *names_[active_];
  File& f = n.files.front();
  f.refresh_identity(pos);
  ReadPosition p;
  p.source = n.key;
  p.file = f.id.text();
  p.offset = consumed;
  p.line = line;
  p.size = pos;
  return p;
}

}  // namespace su
