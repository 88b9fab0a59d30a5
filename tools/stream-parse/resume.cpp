// Resuming followed files (see resume.hpp).
#include "resume.hpp"

#include <fcntl.h>
#include <glob.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "su/core/error.hpp"

namespace su::parse {
namespace {

struct Db {
  sqlite3* db = nullptr;
  ~Db() { sqlite3_close(db); }
};
struct Stmt {
  sqlite3_stmt* st = nullptr;
  ~Stmt() { sqlite3_finalize(st); }
};

bool compressed(const std::string& p) {
  for (const char* ext : {".gz", ".bz2", ".xz", ".zst", ".lz4", ".Z", ".zip"}) {
    std::string e(ext);
    if (p.size() > e.size() && p.compare(p.size() - e.size(), e.size(), e) == 0) return true;
  }
  return false;
}

struct Candidate {
  std::string path;
  struct stat st {};
};

// NAME.*, NAME-* and the --rotated patterns: regular files, not NAME.
std::vector<Candidate> siblings(const std::string& name, const std::vector<std::string>& rotated,
                                std::vector<std::string>* packed) {
  std::vector<std::string> patterns = {name + ".*", name + "-*"};
  patterns.insert(patterns.end(), rotated.begin(), rotated.end());
  std::set<std::string> seen;
  std::vector<Candidate> out;
  for (const auto& pat : patterns) {
    glob_t g{};
    if (::glob(pat.c_str(), 0, nullptr, &g) == 0) {
      for (size_t i = 0; i < g.gl_pathc; ++i) {
        std::string p = g.gl_pathv[i];
        if (p == name || !seen.insert(p).second) continue;
        Candidate c;
        c.path = p;
        if (::stat(p.c_str(), &c.st) != 0 || !S_ISREG(c.st.st_mode)) continue;
        if (compressed(p)) {
          if (packed) packed->push_back(p);
          continue;
        }
        out.push_back(std::move(c));
      }
    }
    ::globfree(&g);
  }
  // Oldest first: by the time of the last write, then by name.
  std::sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) {
    if (a.st.st_mtim.tv_sec != b.st.st_mtim.tv_sec) return a.st.st_mtim.tv_sec < b.st.st_mtim.tv_sec;
    if (a.st.st_mtim.tv_nsec != b.st.st_mtim.tv_nsec) return a.st.st_mtim.tv_nsec < b.st.st_mtim.tv_nsec;
    return a.path > b.path;  // NAME.2 before NAME.1
  });
  return out;
}

bool holds(const std::string& path, const su::FileIdentity& id, uint64_t offset) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  bool ok = ::fstat(fd, &st) == 0 && uint64_t(st.st_size) >= offset && uint64_t(st.st_size) >= id.fp_len &&
            su::same_start(fd, id);
  ::close(fd);
  return ok;
}

bool newer(const struct stat& a, const struct stat& b) {
  return a.st_mtim.tv_sec != b.st_mtim.tv_sec ? a.st_mtim.tv_sec > b.st_mtim.tv_sec
                                              : a.st_mtim.tv_nsec > b.st_mtim.tv_nsec;
}

}  // namespace

std::optional<StoredCheckpoint> load_checkpoint(const std::string& path, const std::string& source) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;  // no database yet: a first run
  Db db;
  if (sqlite3_open_v2(path.c_str(), &db.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    throw su::Fatal(path + ": " + (db.db ? sqlite3_errmsg(db.db) : "cannot open"));
  sqlite3_busy_timeout(db.db, 10000);
  Stmt s;
  const char* sql =
      "SELECT file, \"offset\", line, size, CAST(strftime('%s', time) AS INTEGER), record FROM _stream_checkpoints "
      "WHERE source = ?";
  if (sqlite3_prepare_v2(db.db, sql, -1, &s.st, nullptr) != SQLITE_OK) {
    std::string m = sqlite3_errmsg(db.db);
    if (m.rfind("no such table", 0) == 0) return std::nullopt;
    throw su::Fatal(path + ": " + m);
  }
  sqlite3_bind_text(s.st, 1, source.data(), int(source.size()), SQLITE_TRANSIENT);
  int rc = sqlite3_step(s.st);
  if (rc == SQLITE_DONE) return std::nullopt;
  if (rc != SQLITE_ROW) throw su::Fatal(path + ": " + sqlite3_errmsg(db.db));
  StoredCheckpoint c;
  auto text = [&](int i) {
    const unsigned char* t = sqlite3_column_text(s.st, i);
    return t ? std::string(reinterpret_cast<const char*>(t), size_t(sqlite3_column_bytes(s.st, i))) : std::string();
  };
  c.file = text(0);
  c.offset = uint64_t(sqlite3_column_int64(s.st, 1));
  c.line = uint64_t(sqlite3_column_int64(s.st, 2));
  c.size = uint64_t(sqlite3_column_int64(s.st, 3));
  c.time = sqlite3_column_int64(s.st, 4);
  c.record = text(5);
  return c;
}

ResumePlan plan_resume(const std::string& name, const StoredCheckpoint& c, const std::vector<std::string>& rotated,
                       su::Diagnostics& diag) {
  ResumePlan plan;
  std::optional<su::FileIdentity> id = su::FileIdentity::parse(c.file);
  if (!id) throw su::Fatal(name + ": the stored checkpoint names no file identity: '" + c.file + "'");
  std::vector<std::string> packed;
  std::vector<Candidate> sibs = siblings(name, rotated, &packed);
  // The fingerprint decides; among files with it, the same inode first (a
  // copytruncate copy has another inode, and the old inode new bytes).
  struct stat own {};
  const bool have_own = ::stat(name.c_str(), &own) == 0;
  auto same_inode = [&](const struct stat& st) {
    return uint64_t(st.st_dev) == id->dev && uint64_t(st.st_ino) == id->ino;
  };
  if (have_own && same_inode(own) && holds(name, *id, c.offset)) {
    plan.start_of_name = su::ResumeFile{name, c.offset, c.line};
    return plan;
  }
  const Candidate* found = nullptr;
  for (const auto& s : sibs)
    if (same_inode(s.st) && holds(s.path, *id, c.offset)) found = &s;
  if (!found)
    for (const auto& s : sibs)
      if (holds(s.path, *id, c.offset)) found = &s;
  if (!found && have_own && holds(name, *id, c.offset)) {  // the name again, under another inode (copied back)
    plan.start_of_name = su::ResumeFile{name, c.offset, c.line};
    return plan;
  }
  if (found) {
    plan.before.push_back(su::ResumeFile{found->path, c.offset, c.line});
    for (const auto& s : sibs)
      if (&s != found && newer(s.st, found->st)) plan.before.push_back(su::ResumeFile{s.path, 0, 0});
    return plan;
  }
  std::string m = name;
  m.append(": the file of the checkpoint (");
  m.append(c.file);
  m.append(", offset ");
  m.append(std::to_string(c.offset));
  m.append(") is gone (deleted");
  m.append(packed.empty() ? ", or compressed" : ", or compressed as " + packed.back());
  m.append("): at least ");
  m.append(std::to_string(c.size > c.offset ? c.size - c.offset : 0));
  m.append(" bytes after the checkpoint are lost");
  // Reading goes on from the oldest sibling written after the checkpoint.
  for (const auto& s : sibs)
    if (s.st.st_mtim.tv_sec >= c.time) plan.before.push_back(su::ResumeFile{s.path, 0, 0});
  if (!plan.before.empty()) {
    m.append("; reading goes on from ");
    m.append(plan.before.front().path);
  }
  diag.warn_lost(m);
  return plan;
}

}  // namespace su::parse
