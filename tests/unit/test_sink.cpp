// stream-sink-sqlite's table writer: table creation, column types, schema
// growth, upserts, batching and per-record errors, on a real SQLite file.
#include <doctest/doctest.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "stream-sink-sqlite/sqlite_db.hpp"
#include "stream-sink-sqlite/table_writer.hpp"
#include "su/core/error.hpp"

namespace {

using sink::Field;
using su::Value;

// A fresh database file, removed (with its WAL) at the end of the test.
struct TempDb {
  std::string path;
  TempDb() {
    char tmpl[] = "/tmp/test_sink_XXXXXX";
    int fd = mkstemp(tmpl);
    ::close(fd);
    ::unlink(tmpl);
    path = std::string(tmpl) + ".db";
  }
  ~TempDb() {
    for (const char* s : {"", "-wal", "-shm"}) ::unlink((path + s).c_str());
  }
};

// The first column of every row of a query, as text ("NULL" for null).
std::vector<std::string> column(sink::Db& db, const std::string& sql) {
  sink::Stmt q(db, sql);
  std::vector<std::string> out;
  while (q.step()) {
    const unsigned char* t = sqlite3_column_text(q.get(), 0);
    out.emplace_back(t ? reinterpret_cast<const char*>(t) : "NULL");
  }
  return out;
}

// The first column of every row, as doubles.
std::vector<double> doubles(sink::Db& db, const std::string& sql) {
  sink::Stmt q(db, sql);
  std::vector<double> out;
  while (q.step()) out.push_back(sqlite3_column_double(q.get(), 0));
  return out;
}

std::string one(sink::Db& db, const std::string& sql) {
  auto c = column(db, sql);
  return c.empty() ? "" : c[0];
}

}  // namespace

TEST_CASE("identifiers are quoted, quotes doubled") {
  CHECK(sink::quote_ident("a") == "\"a\"");
  CHECK(sink::quote_ident("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(sink::quote_ident("x; DROP TABLE t") == "\"x; DROP TABLE t\"");
  CHECK(sink::same_ident("Status", "sTATUS"));
  CHECK_FALSE(sink::same_ident("status", "status2"));
}

TEST_CASE("column types come from the first value") {
  CHECK(sink::column_type(Value::integer(1)) == "INTEGER");
  CHECK(sink::column_type(Value::boolean(true)) == "INTEGER");
  CHECK(sink::column_type(Value::real(1.5)) == "REAL");
  CHECK(sink::column_type(Value::string("x")) == "TEXT");
  CHECK(sink::column_type(Value::json("[1]")) == "TEXT");
  CHECK(sink::column_type(Value::null()) == "");
}

TEST_CASE("the table is created from the first record and written") {
  TempDb t;
  sink::Db db(t.path, 1000, false);
  sink::TableWriter w(db, {});
  std::vector<Field> r = {{"id", Value::integer(7)},
                          {"ok", Value::boolean(true)},
                          {"t", Value::real(2.5)},
                          {"name", Value::string("a\"b")},
                          {"tags", Value::json("[1,2]")}};
  CHECK(w.write(r) == "");
  w.finish(true);
  CHECK(one(db, "SELECT sql FROM sqlite_schema") ==
        "CREATE TABLE \"records\" (\"id\" INTEGER, \"ok\" INTEGER, \"t\" REAL, \"name\" TEXT, \"tags\" TEXT)");
  CHECK(
      one(db, "SELECT id || '|' || ok || '|' || t || '|' || name || '|' || json_extract(tags, '$[1]') FROM records") ==
      "7|1|2.5|a\"b|2");
  CHECK(one(db, "PRAGMA journal_mode") == "wal");
}

TEST_CASE("a new field adds a column; --no-alter rejects the record instead") {
  TempDb t;
  sink::Db db(t.path, 1000, false);
  {
    sink::TableWriter w(db, {});
    CHECK(w.write(std::vector<Field>{{"a", Value::integer(1)}}) == "");
    CHECK(w.write(std::vector<Field>{{"b", Value::string("x")}, {"a", Value::integer(2)}}) == "");
    w.finish(true);
  }
  CHECK(column(db, "SELECT name || ':' || type FROM pragma_table_info('records')") ==
        std::vector<std::string>{"a:INTEGER", "b:TEXT"});
  sink::WriterOptions o;
  o.no_alter = true;
  sink::TableWriter w(db, o);
  CHECK(w.write(std::vector<Field>{{"A", Value::integer(3)}}) == "");  // case-insensitive match
  CHECK(w.write(std::vector<Field>{{"a", Value::integer(4)}, {"c", Value::integer(1)}}) ==
        "new field 'c' is not a column of table 'records' (--no-alter)");
  w.finish(true);
  CHECK(column(db, "SELECT a FROM records ORDER BY a") == std::vector<std::string>{"1", "2", "3"});
}

TEST_CASE("bad records are rejected, not written") {
  TempDb t;
  sink::Db db(t.path, 1000, false);
  sink::TableWriter w(db, {});
  CHECK(w.write(std::vector<Field>{}) == "record has no fields");
  CHECK(w.write(std::vector<Field>{{"a", Value::integer(1)}, {"A", Value::integer(2)}}) ==
        "field 'A' appears twice (names are case-insensitive)");
  w.finish(true);
  CHECK(one(db, "SELECT count(*) FROM sqlite_schema") == "0");
}

TEST_CASE("a constraint of an existing table rejects the record with SQLite's reason") {
  TempDb t;
  sink::Db db(t.path, 1000, false);
  db.exec("CREATE TABLE records (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  sink::TableWriter w(db, {});
  CHECK(w.write(std::vector<Field>{{"id", Value::integer(1)}, {"v", Value::string("x")}}) == "");
  CHECK(w.write(std::vector<Field>{{"id", Value::integer(1)}, {"v", Value::string("y")}}) ==
        "sqlite: UNIQUE constraint failed: records.id");
  CHECK(w.write(std::vector<Field>{{"id", Value::integer(2)}, {"v", Value::null()}}) ==
        "sqlite: NOT NULL constraint failed: records.v");
  CHECK(w.write(std::vector<Field>{{"id", Value::integer(3)}, {"v", Value::string("z")}}) == "");
  w.finish(true);
  CHECK(column(db, "SELECT v FROM records ORDER BY id") == std::vector<std::string>{"x", "z"});
}

TEST_CASE("upsert: same keys update the other columns; running twice changes nothing") {
  TempDb t;
  sink::Db db(t.path, 1000, false);
  sink::WriterOptions o;
  o.keys = {"k", "n"};
  auto run = [&] {
    sink::TableWriter w(db, o);
    CHECK(w.write(std::vector<Field>{{"k", Value::string("a")}, {"n", Value::integer(1)}, {"v", Value::integer(1)}}) ==
          "");
    CHECK(w.write(std::vector<Field>{{"n", Value::integer(1)}, {"k", Value::string("a")}, {"v", Value::integer(2)}}) ==
          "");
    CHECK(w.write(std::vector<Field>{{"k", Value::string("b")}, {"n", Value::integer(1)}}) == "");  // keys only
    CHECK(w.write(std::vector<Field>{{"k", Value::string("b")}, {"n", Value::integer(1)}}) == "");  // DO NOTHING
    CHECK(w.write(std::vector<Field>{{"n", Value::integer(1)}}) == "missing --upsert key field 'k'");
    CHECK(w.write(std::vector<Field>{{"k", Value::null()}, {"n", Value::integer(1)}}) ==
          "--upsert key field 'k' is null");
    w.finish(true);
  };
  run();
  auto first = column(db, "SELECT k || n || ifnull(v, '-') FROM records ORDER BY rowid");
  CHECK(first == std::vector<std::string>{"a12", "b1-"});
  run();
  CHECK(column(db, "SELECT k || n || ifnull(v, '-') FROM records ORDER BY rowid") == first);
}

TEST_CASE("transactions: a commit every --batch rows, and at finish") {
  TempDb t;
  sink::Db db(t.path, 1000, false);
  sink::WriterOptions o;
  o.batch = 3;
  sink::TableWriter w(db, o);
  for (int i = 0; i < 7; ++i) CHECK(w.write(std::vector<Field>{{"i", Value::integer(i)}}) == "");
  CHECK(w.in_transaction());  // rows 7 is pending
  sink::Db reader(t.path, 1000, false);
  CHECK(one(reader, "SELECT count(*) FROM records") == "6");
  w.finish(true);
  CHECK(one(reader, "SELECT count(*) FROM records") == "7");
  CHECK(w.rows() == 7);
}

TEST_CASE("truncate empties the table with the first new rows, or at the end of an empty input") {
  TempDb t;
  sink::Db db(t.path, 1000, false);
  {
    sink::TableWriter w(db, {});
    for (int i = 0; i < 3; ++i) CHECK(w.write(std::vector<Field>{{"i", Value::integer(i)}}) == "");
    w.finish(true);
  }
  sink::WriterOptions o;
  o.truncate = true;
  {
    sink::TableWriter w(db, o);
    w.finish(false);  // stopped before any row: the table stays as it was
  }
  CHECK(one(db, "SELECT count(*) FROM records") == "3");
  {
    sink::TableWriter w(db, o);
    CHECK(w.write(std::vector<Field>{{"i", Value::integer(9)}}) == "");
    w.finish(true);
  }
  CHECK(column(db, "SELECT i FROM records") == std::vector<std::string>{"9"});
  {
    sink::TableWriter w(db, o);
    w.finish(true);
  }
  CHECK(one(db, "SELECT count(*) FROM records") == "0");
}

TEST_CASE("a file that is not a database is a fatal error naming the file") {
  TempDb t;
  FILE* f = std::fopen(t.path.c_str(), "w");
  std::fputs("hello, this is plain text and certainly not a SQLite database file header", f);
  std::fclose(f);
  CHECK_THROWS_WITH_AS(sink::Db(t.path, 1000, false), (t.path + ": file is not a database").c_str(), su::Fatal);
}

TEST_CASE("a field name with U+0000 rejects the record; the next ones are written") {
  TempDb t;
  sink::Db db(t.path, 1000, false);
  sink::TableWriter w(db, {});
  CHECK(w.write(std::vector<Field>{{"a", Value::integer(1)}}) == "");
  using namespace std::string_view_literals;
  std::string reason = w.write(std::vector<Field>{{"a", Value::integer(2)}, {"x\0y"sv, Value::integer(3)}});
  CHECK(reason.find("field name 'x\\u0000y' holds U+0000") == 0);
  CHECK(reason.find("stream-parse --fields") != std::string::npos);
  CHECK(w.write(std::vector<Field>{{"a", Value::integer(3)}}) == "");
  w.finish(true);
  CHECK(column(db, "SELECT a FROM records") == std::vector<std::string>{"1", "3"});
  CHECK(one(db, "SELECT count(*) FROM pragma_table_info('records')") == "1");
}

TEST_CASE("more fields than SQLite's column limit: rejected before any ALTER TABLE") {
  TempDb t;
  sink::Db db(t.path, 1000, false);
  sqlite3_limit(db.get(), SQLITE_LIMIT_COLUMN, 10);  // the limit is read, not assumed
  sink::TableWriter w(db, {});
  auto wide = [](int n) {
    static std::vector<std::string> names;
    names.clear();
    for (int i = 0; i < n; ++i) names.emplace_back("c").append(std::to_string(i));
    std::vector<Field> r;
    for (const std::string& name : names) r.push_back({name, Value::integer(1)});
    return r;
  };
  CHECK(w.write(wide(11)).find("record has 11 fields: table 'records' would have 11 columns, more than SQLite's "
                               "limit of 10 (SQLITE_MAX_COLUMN): keep fewer fields (`stream-parse --fields`)") == 0);
  CHECK(one(db, "SELECT count(*) FROM sqlite_schema") == "0");  // no table made for it
  CHECK(w.write(wide(8)) == "");
  CHECK(w.write(wide(11)).find("record has 11 fields, 3 of them new: table 'records' would have 11 columns") == 0);
  CHECK(one(db, "SELECT count(*) FROM pragma_table_info('records')") == "8");
  CHECK(w.write(wide(10)) == "");
  w.finish(true);
  CHECK(one(db, "SELECT count(*) FROM pragma_table_info('records')") == "10");
  CHECK(one(db, "SELECT count(*) FROM records") == "2");
}

TEST_CASE("a record rejected after its ALTER TABLE leaves no column behind") {
  TempDb t;
  sink::Db db(t.path, 1000, false);
  db.exec("CREATE TABLE records (a INTEGER NOT NULL)");
  {
    sink::TableWriter w(db, {});
    CHECK(w.write(std::vector<Field>{{"a", Value::integer(1)}}) == "");
    // b is added for this record, whose row then fails: b goes with it
    CHECK(w.write(std::vector<Field>{{"b", Value::integer(2)}}) == "sqlite: NOT NULL constraint failed: records.a");
    CHECK(w.write(std::vector<Field>{{"a", Value::integer(3)}, {"c", Value::string("x")}}) == "");
    w.finish(true);
  }
  CHECK(column(db, "SELECT name FROM pragma_table_info('records')") == std::vector<std::string>{"a", "c"});
  CHECK(column(db, "SELECT a || ifnull(c, '-') FROM records") == std::vector<std::string>{"1-", "3x"});
  // the same through add() (queued rows), and a null key after a new column
  sink::WriterOptions o;
  o.keys = {"a"};
  sink::TableWriter w(db, o);
  std::vector<std::string> rejects;
  w.on_reject([&](const su::Line&, std::string_view r) { rejects.emplace_back(r); });
  w.add(std::vector<Field>{{"a", Value::integer(4)}}, su::Line{});
  w.add(std::vector<Field>{{"a", Value::null()}, {"d", Value::integer(1)}}, su::Line{});
  w.add(std::vector<Field>{{"a", Value::integer(5)}, {"e", Value::integer(1)}}, su::Line{});
  w.finish(true);
  CHECK(rejects == std::vector<std::string>{"--upsert key field 'a' is null"});
  CHECK(column(db, "SELECT name FROM pragma_table_info('records')") == std::vector<std::string>{"a", "c", "e"});
  CHECK(column(db, "SELECT a FROM records ORDER BY a") == std::vector<std::string>{"1", "3", "4", "5"});
}

TEST_CASE("changed --upsert keys: an old unique index that would reject rows is named, with its DROP INDEX") {
  TempDb t;
  sink::Db db(t.path, 1000, false);
  sink::WriterOptions o;
  o.keys = {"a"};
  {
    sink::TableWriter w(db, o);
    CHECK(w.write(std::vector<Field>{{"a", Value::integer(1)}, {"b", Value::integer(1)}}) == "");
    w.finish(true);
  }
  o.keys = {"a", "b"};  // rows (1,1) and (1,2) differ in the keys but not on the old index
  {
    sink::TableWriter w(db, o);
    std::string want = t.path;
    want.append(
            ": table 'records' has the unique index \"records_upsert_a\" on a (earlier --upsert keys): rows "
            "with the same a but another b would fail on it; drop it first: sqlite3 ")
        .append(t.path)
        .append(" 'DROP INDEX \"records_upsert_a\";'");
    CHECK_THROWS_WITH_AS(w.write(std::vector<Field>{{"a", Value::integer(1)}, {"b", Value::integer(2)}}), want.c_str(),
                         su::Fatal);
    w.salvage();
  }
  db.exec("DROP INDEX \"records_upsert_a\"");
  {
    sink::TableWriter w(db, o);
    CHECK(w.write(std::vector<Field>{{"a", Value::integer(1)}, {"b", Value::integer(2)}}) == "");
    w.finish(true);
  }
  o.keys = {"b"};  // an old index on more columns (a,b) than the keys is harmless
  {
    sink::TableWriter w(db, o);
    CHECK(w.write(std::vector<Field>{{"a", Value::integer(7)}, {"b", Value::integer(2)}}) == "");
    w.finish(true);
  }
  CHECK(column(db, "SELECT a || b FROM records ORDER BY b") == std::vector<std::string>{"11", "72"});
}

TEST_CASE("numbers keep their value: big integers as digits, doubles in TEXT columns shortest round-trip") {
  TempDb t;
  sink::Db db(t.path, 1000, false);
  db.exec("CREATE TABLE records (i INTEGER, r REAL, t TEXT, u)");
  sink::TableWriter w(db, {});
  auto row = [](Value i, Value r, Value t, Value u) {
    return std::vector<Field>{{"i", i}, {"r", r}, {"t", t}, {"u", u}};
  };
  Value big = sink::big_integer("18446744073709551615");  // 2^64-1: no double holds it
  Value p64 = sink::big_integer("18446744073709551616");  // 2^64: a double holds it exactly
  CHECK(w.write(row(Value::integer(1), p64, big, big)) == "");
  CHECK(w.write(row(p64, Value::real(0.1234567890123456789), Value::real(0.1234567890123456789),
                    Value::real(0.1234567890123456789))) == "");
  CHECK(w.write(row(big, Value::null(), Value::null(), Value::null()))
            .find("integer 18446744073709551615 is beyond "
                  "SQLite's 64-bit integers") == 0);
  CHECK(w.write(row(Value::null(), big, Value::null(), Value::null())).find("integer 18446744073709551615") == 0);
  w.finish(true);
  CHECK(column(db, "SELECT typeof(i) || typeof(r) || typeof(t) || typeof(u) FROM records") ==
        std::vector<std::string>{"integerrealtexttext", "realrealtextreal"});
  CHECK(column(db, "SELECT i FROM records") == std::vector<std::string>{"1", "1.84467440737096e+19"});
  CHECK(doubles(db, "SELECT i FROM records") == std::vector<double>{1, 18446744073709551616.0});
  CHECK(doubles(db, "SELECT r FROM records") == std::vector<double>{18446744073709551616.0, 0.1234567890123456789});
  CHECK(doubles(db, "SELECT u FROM records WHERE typeof(u) = 'real'") == std::vector<double>{0.1234567890123456789});
  CHECK(column(db, "SELECT t FROM records") == std::vector<std::string>{"18446744073709551615", "0.12345678901234568"});
  CHECK(column(db, "SELECT u FROM records WHERE typeof(u) = 'text'") ==
        std::vector<std::string>{"18446744073709551615"});
  // a new column from a big integer is TEXT
  CHECK(w.write(std::vector<Field>{{"n", big}}) == "");
  w.finish(true);
  CHECK(one(db, "SELECT type FROM pragma_table_info('records') WHERE name = 'n'") == "TEXT");
}

namespace {
// Counts the ALTER TABLE statements a connection runs.
int count_alters(unsigned, void* n, void* stmt, void*) {
  const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(stmt));
  if (sql && std::string_view(sql).starts_with("ALTER TABLE")) ++*static_cast<int*>(n);
  return 0;
}

std::vector<Field> numbered(std::vector<std::string>& names, int from, int to) {
  std::vector<Field> r;
  names.clear();
  for (int i = from; i < to; ++i) names.emplace_back("c").append(std::to_string(i));
  for (size_t i = 0; i < names.size(); ++i)
    r.push_back({names[i], i % 2 ? Value::string("x") : Value::integer(int64_t(i))});
  return r;
}
}  // namespace

TEST_CASE("many new columns: one ALTER TABLE each, and a rejected row takes its columns back") {
  TempDb t;
  sink::Db db(t.path, 1000, false);
  int alters = 0;
  sqlite3_trace_v2(db.get(), SQLITE_TRACE_STMT, count_alters, &alters);
  std::vector<std::string> names;
  {
    sink::TableWriter w(db, {});
    CHECK(w.write(numbered(names, 0, 1)) == "");
    CHECK(w.write(numbered(names, 0, 1999)) == "");  // 1998 new columns
    w.finish(true);
  }
  CHECK(alters == 1998);
  CHECK(one(db, "SELECT count(*) FROM pragma_table_info('records')") == "1999");
  CHECK(column(db, "SELECT name || ':' || type FROM pragma_table_info('records') WHERE cid IN (0, 1, 1998)") ==
        std::vector<std::string>{"c0:INTEGER", "c1:TEXT", "c1998:INTEGER"});
  CHECK(one(db, "SELECT c1 || c1998 FROM records WHERE c1998 IS NOT NULL") == "x1998");
  CHECK(one(db, "PRAGMA integrity_check") == "ok");
  sink::Db other(t.path, 1000, false);  // another connection sees the new schema
  CHECK(one(other, "SELECT count(*) FROM records WHERE c1997 = 'x'") == "1");

  // a row rejected after its ALTERs: the columns go with it
  db.exec("CREATE TABLE strict_one (k INTEGER NOT NULL)");
  sink::WriterOptions o;
  o.table = "strict_one";
  alters = 0;
  sink::TableWriter w(db, o);
  CHECK(w.write(numbered(names, 0, 40)) == "sqlite: NOT NULL constraint failed: strict_one.k");
  CHECK(one(db, "SELECT count(*) FROM pragma_table_info('strict_one')") == "1");
  alters = 0;
  std::vector<Field> r = numbered(names, 0, 40);
  r.push_back({"k", Value::integer(1)});
  CHECK(w.write(r) == "");
  w.finish(true);
  CHECK(alters == 40);
  CHECK(one(db, "SELECT count(*) FROM pragma_table_info('strict_one')") == "41");
}

TEST_CASE("with SQLITE_DBCONFIG_DEFENSIVE new columns are added as without it") {
  TempDb t;
  sink::Db db(t.path, 1000, false);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  std::vector<std::string> names;
  sink::TableWriter w(db, {});
  CHECK(w.write(numbered(names, 0, 1)) == "");
  CHECK(w.write(numbered(names, 0, 50)) == "");
  w.finish(true);
  CHECK(one(db, "SELECT count(*) FROM pragma_table_info('records')") == "50");
  CHECK(one(db, "PRAGMA integrity_check") == "ok");
}

TEST_CASE("a new table is committed with its first batch, never with one row of it") {
  TempDb t;
  sink::Db db(t.path, 1000, false);
  sink::WriterOptions o;
  o.batch = 3;
  sink::TableWriter w(db, o);
  std::vector<std::string> names;
  CHECK(w.write(numbered(names, 0, 2)) == "");
  sink::Db reader(t.path, 1000, false);
  CHECK(one(reader, "SELECT count(*) FROM sqlite_schema WHERE name = 'records'") == "0");
  CHECK(w.write(numbered(names, 0, 2)) == "");
  CHECK(w.write(numbered(names, 0, 2)) == "");  // the batch of 3 commits
  CHECK(one(reader, "SELECT count(*) FROM records") == "3");
  w.finish(true);
}
