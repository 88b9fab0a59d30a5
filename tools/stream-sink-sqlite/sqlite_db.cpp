// SQLite connection and statement wrappers; errors become su::Fatal.
#include "sqlite_db.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "su/core/error.hpp"
#include "su/core/units.hpp"
#include "su/signals.hpp"

namespace sink {

std::string quote_ident(std::string_view name) {
  std::string s;
  append_ident(s, name);
  return s;
}

void append_ident(std::string& sql, std::string_view name) {
  sql.push_back('"');
  for (char c : name) {
    if (c == '"') sql.push_back('"');
    sql.push_back(c);
  }
  sql.push_back('"');
}

std::string ident_lower(std::string_view s) {
  std::string r(s);
  for (char& c : r)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return r;
}

// 'name' for a message; control characters (U+0000...) written as \u00XX.
std::string quote_for_message(std::string_view name) {
  std::string s;
  s.reserve(name.size() + 2);
  s.push_back('\'');
  for (char c : name) {
    if (static_cast<unsigned char>(c) >= 0x20) {
      s.push_back(c);
      continue;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    s.append("\\u00");
    s.push_back(kHex[(c >> 4) & 0xf]);
    s.push_back(kHex[c & 0xf]);
  }
  s.push_back('\'');
  return s;
}

bool same_ident(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = char(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = char(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

Stmt::Stmt(Db& db, std::string_view sql) : db_(&db) {
  if (sqlite3_prepare_v3(db.get(), sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &st_, nullptr) != SQLITE_OK)
    db.fail();
}

Stmt::~Stmt() {
  sqlite3_finalize(st_);
}

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(st_);
    st_ = o.st_;
    db_ = o.db_;
    o.st_ = nullptr;
  }
  return *this;
}

bool Stmt::step() {
  int rc = sqlite3_step(st_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string m = db_->message();
  sqlite3_reset(st_);
  throw su::Fatal(m);
}

void Stmt::run() {
  while (step()) {
  }
  reset();
}

std::string cannot_create_message(const std::string& path, int err) {
  std::string m = path;
  m.append(": cannot create: ").append(std::strerror(err));
  return m;
}

namespace {
// A new database appears at its path already in WAL mode: it is made under a
// temporary name and linked into place (never over an existing file), so a
// reader that opens it at that moment is never locked out by the switch.
// Returns 0, or the errno of the first thing that failed (EACCES for a
// folder we may not write to: SQLite, which then tries to open it read-only,
// would report that try's ENOENT).
int create_in_wal_mode(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) return 0;
  if (errno != ENOENT) return errno;
  std::string tmp = path + ".new-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return errno;
  ::close(fd);
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  bool ok = sqlite3_open_v2(tmp.c_str(), &db, flags, nullptr) == SQLITE_OK &&
            sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr) == SQLITE_OK;
  sqlite3_close_v2(db);
  if (ok) (void)::link(tmp.c_str(), path.c_str());  // EEXIST: someone else made it first
  ::unlink(tmp.c_str());
  ::unlink((tmp + "-wal").c_str());
  ::unlink((tmp + "-shm").c_str());
  return 0;
}

// WAL mode needs PATH-wal and PATH-shm beside the database: the errno when
// they are missing and the folder does not let us make them (SQLite would
// say "attempt to write a readonly database"), else 0.
int wal_folder_error(const std::string& path) {
  if (::access((path + "-wal").c_str(), F_OK) == 0 && ::access((path + "-shm").c_str(), F_OK) == 0) return 0;
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  return ::faccessat(AT_FDCWD, dir.c_str(), W_OK, AT_EACCESS) == 0 ? 0 : errno;
}
}  // namespace

Db::Db(const std::string& path, int busy_timeout_ms, bool durable) : path_(path) {
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);  // no global statistics lock per allocation
    return true;
  }();
  (void)configured;
  if (int err = create_in_wal_mode(path)) throw su::Fatal(cannot_create_message(path, err));
  try {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) fail("cannot open");
    if (sqlite3_db_readonly(db_, "main") == 1) throw su::Fatal(path_ + ": cannot write: the file is read-only");
    if (int err = wal_folder_error(path)) {
      std::string m = path_;
      m.append(": cannot create ").append(path_).append("-wal beside it (WAL mode): ").append(std::strerror(err));
      throw su::Fatal(m);
    }
    busy_timeout_ms_ = busy_timeout_ms;
    sqlite3_busy_handler(db_, &Db::on_busy, this);
    // WAL: readers run while we write; a crash loses at most the open transaction.
    // Switching a fresh file to WAL locks readers out: keep that short (no fsync).
    exec("PRAGMA synchronous=OFF");
    exec("PRAGMA journal_mode=WAL");
    exec(durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    exec("PRAGMA cache_size=-8192");  // 8 MiB of page cache
  } catch (...) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw;
  }
}

// Another connection holds the lock: wait in short steps up to the busy
// timeout, but give up at once on a second stop signal (CONTRACT 6).
int Db::on_busy(void* self, int attempt) {
  auto* db = static_cast<Db*>(self);
  auto now = std::chrono::steady_clock::now();
  if (attempt == 0) db->busy_since_ = now;
  db->busy_gave_up_on_signal_ = su::stop_count() >= 2;
  if (db->busy_gave_up_on_signal_) return 0;
  auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(now - db->busy_since_).count();
  if (waited >= db->busy_timeout_ms_) return 0;
  sqlite3_sleep(int(std::min<int64_t>(attempt < 10 ? 1 + attempt : 20, db->busy_timeout_ms_ - waited)));
  return 1;
}

Db::~Db() {
  // The last connection to close holds an exclusive lock while it checkpoints
  // and removes the WAL: copy the pages back first, so that moment is short.
  sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  sqlite3_close_v2(db_);
}

void Db::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    sqlite3_free(err);
    fail();
  }
}

std::string Db::message(std::string_view context) const {
  std::string m = path_ + ": ";
  if (!context.empty()) m.append(context).append(": ");
  if (!db_) return m + "out of memory";
  m += sqlite3_errmsg(db_);
  if (sqlite3_errcode(db_) == SQLITE_BUSY && busy_gave_up_on_signal_)
    m += " (stopped waiting for it: second stop signal)";
  else if (sqlite3_errcode(db_) == SQLITE_BUSY)
    m += " (another connection held it for longer than --busy-timeout " +
         su::format_duration(int64_t(busy_timeout_ms_) * 1000000) + ")";
  // "disk I/O error" alone does not say what happened: add the system's reason.
  int code = sqlite3_errcode(db_);
  int sys = sqlite3_system_errno(db_);
  if ((code == SQLITE_IOERR || code == SQLITE_CANTOPEN || code == SQLITE_FULL) && sys != 0)
    m.append(" (").append(std::strerror(sys)).append(")");
  return m;
}

void Db::fail(std::string_view context) const {
  throw su::Fatal(message(context));
}

}  // namespace sink
