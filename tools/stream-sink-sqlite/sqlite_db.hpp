// Thin RAII wrappers over the SQLite C API: one connection and its prepared
// statements. Every SQLite error becomes su::Fatal naming the database file.
#pragma once
#include <sqlite3.h>

#include <chrono>
#include <string>
#include <string_view>

namespace sink {

// `name` as a SQL identifier: in double quotes, embedded quotes doubled.
std::string quote_ident(std::string_view name);
void append_ident(std::string& sql, std::string_view name);

// ASCII case-insensitive equality: SQLite's rule for identifiers.
bool same_ident(std::string_view a, std::string_view b);
// `name` in ASCII lowercase: the key under which SQLite's rule finds it.
std::string ident_lower(std::string_view name);
// 'name' for a message; control characters (U+0000...) written as \u00XX.
std::string quote_for_message(std::string_view name);

// "PATH: cannot create: REASON" for a database file that could not be made
// (err: the errno of the first failure).
std::string cannot_create_message(const std::string& path, int err);

class Db;

class Stmt {
 public:
  Stmt() = default;
  Stmt(Db& db, std::string_view sql);  // throws su::Fatal
  ~Stmt();
  Stmt(Stmt&& o) noexcept : st_(o.st_), db_(o.db_) { o.st_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  sqlite3_stmt* get() const { return st_; }
  explicit operator bool() const { return st_ != nullptr; }
  // Steps once: true when a row is ready, false when done. Throws on error.
  bool step();
  // Steps once and returns SQLite's result code without throwing.
  int try_step() { return sqlite3_step(st_); }
  void reset() { sqlite3_reset(st_); }
  // Runs the statement to completion and resets it.
  void run();

 private:
  sqlite3_stmt* st_ = nullptr;
  Db* db_ = nullptr;
};

class Db {
 public:
  // Opens (creating when missing) the database in WAL mode.
  Db(const std::string& path, int busy_timeout_ms, bool durable);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  sqlite3* get() const { return db_; }
  const std::string& path() const { return path_; }
  // Runs one or more statements; throws su::Fatal.
  void exec(const std::string& sql);
  // The error message for the last failed call: "FILE: message".
  std::string message(std::string_view context = {}) const;
  [[noreturn]] void fail(std::string_view context = {}) const;
  bool in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

 private:
  static int on_busy(void* self, int attempt);

  sqlite3* db_ = nullptr;
  std::string path_;
  int busy_timeout_ms_ = 0;
  bool busy_gave_up_on_signal_ = false;
  std::chrono::steady_clock::time_point busy_since_;
};

}  // namespace sink
