// Table creation and growth, prepared statements per column set, batching.
#include "table_writer.hpp"

#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <optional>

#include "su/core/error.hpp"
#include "su/core/json_write.hpp"

namespace sink {
namespace {

using Kind = su::Value::Kind;

// Declared column type per value kind (indexed by su::Value::Kind).
constexpr std::array<std::string_view, 7> kColumnType = {
    /*Missing*/ "",    /*Null*/ "",       /*Bool*/ "INTEGER", /*Int*/ "INTEGER",
    /*Double*/ "REAL", /*String*/ "TEXT", /*Json*/ "TEXT"};

// New columns of one record from which they are added in one step.
constexpr size_t kBulkColumns = 16;

// Keeps the statement cache bounded when every record has its own shape.
constexpr size_t kMaxShapes = 256;

// Rows per multi-row INSERT: one statement run costs about as much as the
// rows it inserts (cursor open, rowid seek, halt); 256 rows share it
// (callgrind: 64 rows -22% instructions, 256 rows 1% more).
constexpr size_t kChunkRows = 256;  // a power of two, at most 2^8
// Texts of the queued rows: room kept between flushes.
constexpr size_t kQueueText = size_t(64) << 10;

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return r;
}

// 'name' for a message; control characters (U+0000...) written as \u00XX.
std::string quoted_for_message(std::string_view name) {
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

// Per-record problems a table can raise (constraints of an existing table,
// a text in a STRICT integer column...): they reject the record, not the run.
bool is_record_error(int rc) {
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
      return true;
    default:
      return false;
  }
}

// The double that the digits of a big integer are, when it is exactly that.
std::optional<double> exact_double(std::string_view digits) {
  double d = 0;
  auto r = std::from_chars(digits.data(), digits.data() + digits.size(), d);
  if (r.ec != std::errc() || r.ptr != digits.data() + digits.size() || !std::isfinite(d)) return std::nullopt;
  char buf[400];
  auto w = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed, 0);
  if (w.ec != std::errc() || std::string_view(buf, size_t(w.ptr - buf)) != digits) return std::nullopt;
  return d;
}

// Binds v as the column's affinity keeps it exactly: a double into a TEXT
// column as its shortest round-trip text (SQLite would write 15 digits), a
// big integer into a numeric column as its (exact, checked before) double.
int bind_double_as_text(sqlite3_stmt* st, int i, double d) {
  std::string text;
  su::append_double(text, d);
  return sqlite3_bind_text(st, i, text.data(), int(text.size()), SQLITE_TRANSIENT);
}

int bind_value(sqlite3_stmt* st, int i, const su::Value& v, Affinity a) {
  switch (v.kind) {
    case Kind::Missing:
    case Kind::Null:
      return sqlite3_bind_null(st, i);
    case Kind::Bool:
      return sqlite3_bind_int(st, i, v.b ? 1 : 0);
    case Kind::Int:
      return sqlite3_bind_int64(st, i, v.i);
    case Kind::Double:
      if (a == Affinity::Text) [[unlikely]]
        return bind_double_as_text(st, i, v.d);
      return sqlite3_bind_double(st, i, v.d);
    case Kind::Json:
      if (a == Affinity::Numeric && is_big_integer(v)) [[unlikely]]
        if (auto d = exact_double(v.s)) return sqlite3_bind_double(st, i, *d);
      [[fallthrough]];
    case Kind::String:
      return sqlite3_bind_text(st, i, v.s.data(), int(v.s.size()), SQLITE_STATIC);
  }
  return SQLITE_MISUSE;
}

}  // namespace

std::string_view column_type(const su::Value& v) {
  return kColumnType[size_t(v.kind)];
}

Affinity affinity_of(std::string_view type) {
  std::string t = lower(type);
  auto has = [&t](std::string_view w) { return t.find(w) != std::string::npos; };
  if (has("int")) return Affinity::Numeric;
  if (has("char") || has("clob") || has("text")) return Affinity::Text;
  if (has("blob") || t.empty()) return Affinity::None;
  return Affinity::Numeric;  // REAL, FLOA, DOUB, NUMERIC, anything else
}

su::Value big_integer(std::string_view digits) {
  return su::Value::json(digits);
}

bool is_big_integer(const su::Value& v) {
  return v.kind == Kind::Json && !v.s.empty() && (v.s[0] == '-' || (v.s[0] >= '0' && v.s[0] <= '9'));
}

struct TableWriter::Shape {
  std::vector<std::string> names;  // the record's field names, in order
  std::vector<size_t> key_pos;     // where the --upsert keys are among them
  std::vector<Affinity> affinity;  // of each one's column
  Stmt insert;
  std::array<Stmt, 9> multi;  // [k]: 2^k rows at once (up to kChunkRows), made on first use
};

TableWriter::TableWriter(Db& db, WriterOptions o)
    : db_(db),
      o_(std::move(o)),
      begin_(db, "BEGIN IMMEDIATE"),
      commit_(db, "COMMIT"),
      savepoint_(db, "SAVEPOINT sink_rows"),
      release_(db, "RELEASE sink_rows"),
      rollback_to_(db, "ROLLBACK TO sink_rows"),
      schema_savepoint_(db, "SAVEPOINT sink_schema"),
      schema_release_(db, "RELEASE sink_schema"),
      schema_rollback_to_(db, "ROLLBACK TO sink_schema"),
      truncate_pending_(o_.truncate) {
  // Heap buffers from the start (a short string's text lives inside the
  // object, and the two queues are swapped).
  queue_.text.reserve(kQueueText);
  flushing_.text.reserve(kQueueText);
}

TableWriter::~TableWriter() = default;

void TableWriter::begin() {
  begin_.run();
  in_txn_ = true;
  in_batch_ = 0;
  if (truncate_pending_) {
    truncate_pending_ = false;
    load_schema();
    if (table_exists_) db_.exec("DELETE FROM " + quote_ident(o_.table));
  }
}

void TableWriter::commit() {
  flush_rows();
  if (!in_txn_) return;
  commit_.run();
  in_txn_ = false;
  in_batch_ = 0;
}

void TableWriter::finish(bool input_done) {
  if (input_done && truncate_pending_ && !in_txn_) begin();
  commit();
}

void TableWriter::salvage() noexcept {
  try {
    flush_rows();  // rows read before the error (a closed stdout, say)
  } catch (...) {
  }
  if (!in_txn_) return;
  in_txn_ = false;
  if (!db_.in_transaction()) return;  // SQLite already rolled it back
  if (commit_.try_step() != SQLITE_DONE) {
    commit_.reset();
    sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    return;
  }
  commit_.reset();
}

std::string TableWriter::write(std::span<const Field> fields) {
  flush_rows();
  if (!in_txn_) begin();
  std::string reason;
  bool written = false;
  Shape* s = shape_for(fields, &reason, &written);
  if (!s) return reason;
  if (!written) reason = insert_one(*s, fields);
  if (reason.empty() && ++in_batch_ >= o_.batch) commit();
  return reason;
}

void TableWriter::reject(const su::Line& line, std::string_view reason) {
  flush_rows();  // rejects in line order
  if (on_reject_) on_reject_(line, reason);
}

void TableWriter::add(std::span<const Field> fields, const su::Line& line, bool stable_texts) {
  if (!in_txn_) begin();
  std::string reason;
  bool written = false;
  Shape* s = shape_for(fields, &reason, &written);
  if (!s) return reject(line, reason);
  if (written) {
    if (++in_batch_ >= o_.batch) commit();
    return;
  }
  for (size_t k : s->key_pos)
    if (fields[k].value.is_null_or_missing())
      return reject(line, "--upsert key field " + quoted_for_message(fields[k].name) + " is null");
  size_t text = 0;
  if (!stable_texts)
    for (const Field& f : fields) text += f.value.s.size();
  if (s != queue_.shape || queue_.text.size() + text > queue_.text.capacity()) {
    flush_rows();
    if (text > queue_.text.capacity()) queue_.text.reserve(text);  // no queued row points into it
    queue_.shape = s;
    queue_.width = fields.size();
  }
  bool json = false;
  size_t text_at = queue_.text.size();
  for (const Field& f : fields) {
    su::Value& v = queue_.values.emplace_back(f.value);
    json = json || v.kind == Kind::Json;
    if (!stable_texts && !v.s.empty()) {
      size_t at = queue_.text.size();
      queue_.text.append(v.s);
      v.s = std::string_view(queue_.text.data() + at, v.s.size());
    }
  }
  if (json) [[unlikely]]
    for (size_t i = 0; i < fields.size(); ++i)
      if (std::string r = check_value(*s, i, fields[i]); !r.empty()) {
        queue_.values.resize(queue_.values.size() - fields.size());  // not queued after all
        queue_.text.resize(text_at);
        return reject(line, r);
      }
  queue_.lines.push_back(line);
  if (queue_.lines.size() >= kChunkRows) flush_rows();
  if (++in_batch_ >= o_.batch) commit();
}

void TableWriter::flush_rows() {
  if (queue_.lines.empty()) return;
  // Swapped out first: an error (or a --strict reject) midway drops the rest.
  std::swap(queue_, flushing_);
  queue_.clear();
  Queue& q = flushing_;
  std::vector<Field> fields(q.width);
  // Power-of-two runs: kChunkRows rows, then half as many... for what is
  // left; fewer for wide rows (a statement has at most so many parameters).
  size_t max_params = size_t(sqlite3_limit(db_.get(), SQLITE_LIMIT_VARIABLE_NUMBER, -1));
  for (size_t first = 0, n = q.lines.size(); first < n;) {
    size_t run = kChunkRows;
    while (run > 1 && (run > n - first || run * q.width > max_params)) run /= 2;
    if (run > 1 && insert_rows(*q.shape, first, run)) {
      first += run;
      continue;
    }
    for (size_t r = first; r < first + run; ++r) {
      for (size_t c = 0; c < q.width; ++c) fields[c].value = q.values[r * q.width + c];
      std::string reason = insert_one(*q.shape, fields);
      if (!reason.empty() && on_reject_) on_reject_(q.lines[r], reason);
    }
    first += run;
  }
  q.clear();
}

// Rows [first, first+count) of the queue in one statement, inside a
// savepoint so that a failing row leaves none of the others (not every SQLite
// error undoes its statement). False when a row failed: nothing was written,
// the caller goes row by row.
bool TableWriter::insert_rows(Shape& s, size_t first, size_t count) {
  const Queue& q = flushing_;
  Stmt& stmt = s.multi[std::countr_zero(count)];
  if (!stmt) stmt = Stmt(db_, insert_sql(s.names, count));
  sqlite3_stmt* st = stmt.get();
  const su::Value* v = q.values.data() + first * q.width;
  for (size_t r = 0, i = 0; r < count; ++r)
    for (size_t c = 0; c < q.width; ++c, ++i)
      if (bind_value(st, int(i + 1), v[i], s.affinity[c]) != SQLITE_OK) return false;
  savepoint_.run();
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc == SQLITE_DONE) {
    release_.run();
    rows_ += count;
    return true;
  }
  if (!db_.in_transaction()) db_.fail();  // SQLite rolled the transaction back
  rollback_to_.run();
  release_.run();
  return false;
}

std::string TableWriter::insert_one(Shape& s, std::span<const Field> fields) {
  std::string reason = bind(s, fields);
  if (!reason.empty()) return reason;
  sqlite3_stmt* st = s.insert.get();
  int rc = sqlite3_step(st);
  if (rc != SQLITE_DONE) {
    std::string m = is_record_error(rc) ? "sqlite: " + std::string(sqlite3_errmsg(db_.get())) : db_.message();
    sqlite3_reset(st);
    if (is_record_error(rc)) return m;
    throw su::Fatal(m);
  }
  sqlite3_reset(st);
  ++rows_;
  return {};
}

std::string TableWriter::bind(Shape& s, std::span<const Field> fields) {
  for (size_t k : s.key_pos)
    if (fields[k].value.is_null_or_missing())
      return "--upsert key field " + quoted_for_message(fields[k].name) + " is null";
  sqlite3_stmt* st = s.insert.get();
  for (size_t i = 0; i < fields.size(); ++i) {
    if (std::string r = check_value(s, i, fields[i]); !r.empty()) return r;
    if (bind_value(st, int(i + 1), fields[i].value, s.affinity[i]) != SQLITE_OK)
      return "sqlite: " + std::string(sqlite3_errmsg(db_.get()));
  }
  return {};
}

std::string TableWriter::check_value(const Shape& s, size_t i, const Field& f) const {
  if (s.affinity[i] != Affinity::Numeric || !is_big_integer(f.value) || exact_double(f.value.s)) return {};
  std::string m = "integer ";
  m.append(f.value.s.substr(0, 40))
      .append(f.value.s.size() > 40 ? "..." : "")
      .append(" is beyond SQLite's 64-bit integers and no double holds it exactly; column ")
      .append(quoted_for_message(f.name))
      .append(" of table ")
      .append(quoted_for_message(o_.table))
      .append(
          " is numeric, so SQLite would round it: write it to a TEXT column (another field name, or a "
          "table whose column is TEXT), which keeps its digits");
  return m;
}

TableWriter::Shape* TableWriter::shape_for(std::span<const Field> fields, std::string* reason, bool* written) {
  // Fast path: the same fields, in the same order, as the record before.
  if (last_ && last_->names.size() == fields.size()) {
    size_t i = 0;
    while (i < fields.size() && last_->names[i] == fields[i].name) ++i;
    if (i == fields.size()) return last_;
  }
  key_buf_.clear();
  for (const Field& f : fields) {
    uint32_t n = uint32_t(f.name.size());
    key_buf_.append(reinterpret_cast<const char*>(&n), sizeof n).append(f.name);
  }
  auto it = shapes_.find(key_buf_);
  if (it != shapes_.end()) return last_ = it->second.get();
  std::unique_ptr<Shape> s = make_shape(fields, reason, written);
  if (!s) return nullptr;
  if (shapes_.size() >= kMaxShapes) {
    flush_rows();  // the queue points at a shape
    shapes_.clear();
  }
  last_ = s.get();
  shapes_.emplace(key_buf_, std::move(s));
  return last_;
}

std::unique_ptr<TableWriter::Shape> TableWriter::make_shape(std::span<const Field> fields, std::string* reason,
                                                            bool* written) {
  auto s = std::make_unique<Shape>();
  *reason = check_fields(fields, &s->key_pos);
  std::vector<size_t> missing;
  bool create = false;
  if (reason->empty()) *reason = plan_columns(fields, &missing, &create);
  if (!reason->empty()) return nullptr;
  for (const Field& f : fields) s->names.emplace_back(f.name);
  auto set_affinity = [&] {
    for (const Field& f : fields) s->affinity.push_back(columns_.at(lower(f.name)));
  };
  if (!create && missing.empty()) {
    set_affinity();
    if (!o_.keys.empty() && !key_index_done_) ensure_key_index();
    s->insert = Stmt(db_, insert_sql(s->names, 1));
    return s;
  }
  // The schema changes and the row that needs them, all or nothing.
  flush_rows();  // the rows before it are not part of it
  bool key_index_was_done = key_index_done_;
  schema_savepoint_.run();
  try {
    if (create) create_table(fields);
    if (!missing.empty()) add_columns(fields, missing);
    set_affinity();
    if (!o_.keys.empty() && !key_index_done_) ensure_key_index();
    s->insert = Stmt(db_, insert_sql(s->names, 1));
    *reason = insert_one(*s, fields);
  } catch (...) {
    undo_schema(key_index_was_done);
    throw;
  }
  if (!reason->empty()) {
    undo_schema(key_index_was_done);
    return nullptr;
  }
  schema_release_.run();
  *written = true;
  // Readers see the new table at once rather than "no such table".
  if (create) {
    commit();
    begin();
  }
  return s;
}

void TableWriter::undo_schema(bool key_index_was_done) {
  key_index_done_ = key_index_was_done;
  if (!db_.in_transaction()) return;  // SQLite rolled it all back
  schema_rollback_to_.run();
  schema_release_.run();
  load_schema();
}

std::string TableWriter::check_fields(std::span<const Field> fields, std::vector<size_t>* key_pos) {
  if (fields.empty()) return "record has no fields";
  std::unordered_set<std::string> seen;
  for (const Field& f : fields) {
    if (f.name.find('\0') != std::string_view::npos)
      return "field name " + quoted_for_message(f.name) +
             " holds U+0000, which SQLite cannot take in a column name: keep the other fields "
             "(`stream-parse --fields`), or the record whole in one JSON column (`jq -c '{record: .}'`)";
    if (!seen.insert(lower(f.name)).second)
      return "field " + quoted_for_message(f.name) + " appears twice (names are case-insensitive)";
  }
  for (const std::string& k : o_.keys) {
    size_t i = 0;
    while (i < fields.size() && !same_ident(fields[i].name, k)) ++i;
    if (i == fields.size()) return "missing --upsert key field " + quoted_for_message(k);
    key_pos->push_back(i);
  }
  return {};
}

std::string TableWriter::plan_columns(std::span<const Field> fields, std::vector<size_t>* missing, bool* create) {
  if (!table_exists_) load_schema();  // first use, or another writer created it meanwhile
  size_t limit = size_t(sqlite3_limit(db_.get(), SQLITE_LIMIT_COLUMN, -1));
  auto too_many = [&](size_t have, size_t need) {
    std::string m = "record has " + std::to_string(fields.size()) + " fields";
    if (have) m += ", " + std::to_string(need) + " of them new";
    m += ": table " + quoted_for_message(o_.table) + " would have " + std::to_string(have + need) +
         " columns, more than SQLite's limit of " + std::to_string(limit) +
         " (SQLITE_MAX_COLUMN): keep fewer fields (`stream-parse --fields`), or the record whole in one JSON column "
         "(`jq -c '{record: .}'`)";
    return m;
  };
  if (!table_exists_) {
    if (fields.size() > limit) return too_many(0, fields.size());
    *create = true;
    return {};
  }
  bool any = false;
  for (const Field& f : fields) any = any || !has_column(f.name);
  if (!any) return {};
  load_schema();  // another writer may have added them
  for (size_t i = 0; i < fields.size(); ++i) {
    if (has_column(fields[i].name)) continue;
    if (o_.no_alter)
      return "new field " + quoted_for_message(fields[i].name) + " is not a column of table " +
             quoted_for_message(o_.table) + " (--no-alter)";
    missing->push_back(i);
  }
  if (columns_.size() + missing->size() > limit) return too_many(columns_.size(), missing->size());
  return {};
}

void TableWriter::load_schema() {
  Stmt q(db_, "SELECT name, type FROM pragma_table_info(?1)");
  sqlite3_bind_text(q.get(), 1, o_.table.data(), int(o_.table.size()), SQLITE_STATIC);
  columns_.clear();
  auto text = [&q](int i) {
    const unsigned char* t = sqlite3_column_text(q.get(), i);
    return std::string_view(t ? reinterpret_cast<const char*>(t) : "", size_t(sqlite3_column_bytes(q.get(), i)));
  };
  while (q.step()) columns_.emplace(lower(text(0)), affinity_of(text(1)));
  table_exists_ = !columns_.empty();
}

bool TableWriter::has_column(std::string_view name) const {
  return columns_.count(lower(name)) != 0;
}

void TableWriter::create_table(std::span<const Field> fields) {
  std::string sql = "CREATE TABLE ";  // under our write lock: nobody else creates it meanwhile
  append_ident(sql, o_.table);
  sql += " (";
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) sql += ", ";
    append_ident(sql, fields[i].name);
    std::string_view type = column_type(fields[i].value);
    if (!type.empty()) sql.append(" ").append(type);
  }
  sql += ")";
  db_.exec(sql);
  load_schema();
}

void TableWriter::add_column(const Field& f) {
  std::string sql = "ALTER TABLE ";
  append_ident(sql, o_.table);
  sql += " ADD COLUMN ";
  append_ident(sql, f.name);
  std::string_view type = column_type(f.value);
  if (!type.empty()) sql.append(" ").append(type);
  db_.exec(sql);
  columns_.emplace(lower(f.name), affinity_of(column_type(f.value)));
}

void TableWriter::add_columns(std::span<const Field> fields, const std::vector<size_t>& missing) {
  // The first by ALTER TABLE, which checks the table and raises the file
  // format if it must; many more in one step when the table is as the sink
  // makes it (each ALTER re-reads the whole schema: 2000 columns took 2 s).
  size_t done = 0;
  add_column(fields[missing[done++]]);
  if (missing.size() - done >= kBulkColumns && append_columns(fields, std::span(missing).subspan(done))) return;
  for (; done < missing.size(); ++done) add_column(fields[missing[done]]);
}

// Appends column definitions to the table's CREATE TABLE text in
// sqlite_schema (what ALTER TABLE ADD COLUMN does, https://sqlite.org/lang_altertable.html),
// but only when that text is exactly the one the sink writes for the
// table's columns (no constraint, no table option), and within a savepoint:
// false, with nothing changed, when it does not apply or SQLite refuses it
// (SQLITE_DBCONFIG_DEFENSIVE).
bool TableWriter::append_columns(std::span<const Field> fields, std::span<const size_t> which) {
  auto def = [](std::string& sql, std::string_view name, std::string_view type) {
    append_ident(sql, name);
    if (!type.empty()) sql.append(" ").append(type);
  };
  std::string want = "CREATE TABLE ";
  append_ident(want, o_.table);
  want += " (";
  {
    Stmt q(db_, "SELECT name, type FROM pragma_table_info(?1)");
    sqlite3_bind_text(q.get(), 1, o_.table.data(), int(o_.table.size()), SQLITE_STATIC);
    for (bool first = true; q.step(); first = false) {
      auto text = [&q](int i) {
        const unsigned char* t = sqlite3_column_text(q.get(), i);
        return std::string_view(t ? reinterpret_cast<const char*>(t) : "", size_t(sqlite3_column_bytes(q.get(), i)));
      };
      if (!first) want += ", ";
      def(want, text(0), text(1));
    }
  }
  want += ")";
  std::string sql = want;
  sql.pop_back();
  for (size_t i : which) {
    sql += ", ";
    def(sql, fields[i].name, column_type(fields[i].value));
  }
  sql += ")";
  int version = 0;
  {
    Stmt q(db_, "PRAGMA schema_version");
    if (q.step()) version = sqlite3_column_int(q.get(), 0);
  }
  sqlite3* db = db_.get();
  auto ok = [db](const char* stmt) { return sqlite3_exec(db, stmt, nullptr, nullptr, nullptr) == SQLITE_OK; };
  if (!ok("SAVEPOINT sink_columns")) return false;
  bool done = false;
  if (ok("PRAGMA writable_schema=ON")) {
    sqlite3_stmt* up = nullptr;  // not a Stmt: failing to prepare it is no error here
    if (sqlite3_prepare_v2(db, "UPDATE sqlite_schema SET sql = ?1 WHERE type = 'table' AND name = ?2 AND sql = ?3", -1,
                           &up, nullptr) == SQLITE_OK) {
      sqlite3_bind_text(up, 1, sql.data(), int(sql.size()), SQLITE_STATIC);
      sqlite3_bind_text(up, 2, o_.table.data(), int(o_.table.size()), SQLITE_STATIC);
      sqlite3_bind_text(up, 3, want.data(), int(want.size()), SQLITE_STATIC);
      done = sqlite3_step(up) == SQLITE_DONE && sqlite3_changes(db) == 1;
    }
    sqlite3_finalize(up);
    done = done && ok(("PRAGMA schema_version=" + std::to_string(version + 1)).c_str());
    ok("PRAGMA writable_schema=OFF");
  }
  if (done) {
    load_schema();
    for (size_t i : which) done = done && has_column(fields[i].name);
  }
  if (!done) {
    ok("ROLLBACK TO sink_columns");
    ok("RELEASE sink_columns");
    load_schema();
    return false;
  }
  ok("RELEASE sink_columns");
  return true;
}

// The unique indexes an earlier run made for other --upsert keys, with their
// columns: "name" -> "k1,k2".
std::vector<std::pair<std::string, std::string>> TableWriter::other_key_indexes(const std::string& ours) {
  Stmt q(db_,
         "SELECT il.name, group_concat(ii.name, ',') FROM pragma_index_list(?1) il, pragma_index_info(il.name) ii "
         "WHERE il.\"unique\" AND il.origin = 'c' GROUP BY il.name ORDER BY il.name");
  sqlite3_bind_text(q.get(), 1, o_.table.data(), int(o_.table.size()), SQLITE_STATIC);
  std::string prefix = o_.table + "_upsert_";
  std::vector<std::pair<std::string, std::string>> out;
  auto text = [&](int i) {
    const unsigned char* t = sqlite3_column_text(q.get(), i);
    return std::string(t ? reinterpret_cast<const char*>(t) : "", size_t(sqlite3_column_bytes(q.get(), i)));
  };
  while (q.step()) {
    std::string name = text(0);
    if (same_ident(name, ours) || name.size() <= prefix.size() ||
        !same_ident(std::string_view(name).substr(0, prefix.size()), prefix))
      continue;
    out.emplace_back(name, text(1));
  }
  return out;
}

void TableWriter::ensure_key_index() {
  std::string name = o_.table + "_upsert";
  for (const std::string& k : o_.keys) name += "_" + k;
  // A unique index of earlier keys that lacks one of ours would reject rows
  // that differ only there (SQLite: "UNIQUE constraint failed"): say which
  // index it is, and how to drop it. One on more columns than ours is harmless.
  std::string others;
  for (const auto& [index, cols] : other_key_indexes(name)) {
    others.append(others.empty() ? "" : ", ").append(quote_ident(index)).append(" (").append(cols).append(")");
    std::string lacks;  // our keys that the index lacks
    for (const std::string& k : o_.keys) {
      bool has = false;
      for (size_t at = 0; at <= cols.size();) {
        size_t comma = std::min(cols.find(',', at), cols.size());
        has = has || same_ident(std::string_view(cols).substr(at, comma - at), k);
        at = comma + 1;
      }
      if (!has) lacks.append(lacks.empty() ? "" : ",").append(k);
    }
    if (lacks.empty()) continue;
    std::string m = db_.path();
    m.append(": table ")
        .append(quoted_for_message(o_.table))
        .append(" has the unique index ")
        .append(quote_ident(index))
        .append(" on ")
        .append(cols)
        .append(" (earlier --upsert keys): rows with the same ")
        .append(cols)
        .append(" but another ")
        .append(lacks)
        .append(" would fail on it; drop it first: sqlite3 ")
        .append(db_.path())
        .append(" 'DROP INDEX ")
        .append(quote_ident(index))
        .append(";'");
    throw su::Fatal(m);
  }
  std::string sql = "CREATE UNIQUE INDEX IF NOT EXISTS ";
  append_ident(sql, name);
  sql += " ON ";
  append_ident(sql, o_.table);
  sql += " (";
  for (size_t i = 0; i < o_.keys.size(); ++i) {
    if (i) sql += ", ";
    append_ident(sql, o_.keys[i]);
  }
  sql += ")";
  char* err = nullptr;
  if (sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    sqlite3_free(err);
    std::string context = "cannot make the --upsert keys unique";
    if (!others.empty()) context.append(" (the table was written with the unique keys of ").append(others).append(")");
    db_.fail(context);
  }
  key_index_done_ = true;
}

std::string TableWriter::insert_sql(const std::vector<std::string>& names, size_t rows) const {
  std::string sql = "INSERT INTO ";
  append_ident(sql, o_.table);
  sql += " (";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) sql += ",";
    append_ident(sql, names[i]);
  }
  sql += ") VALUES ";
  for (size_t r = 0; r < rows; ++r) {
    sql += r ? ",(" : "(";
    for (size_t i = 0; i < names.size(); ++i) sql += i ? ",?" : "?";
    sql += ")";
  }
  if (o_.keys.empty()) return sql;
  sql += " ON CONFLICT (";
  for (size_t i = 0; i < o_.keys.size(); ++i) {
    if (i) sql += ",";
    append_ident(sql, o_.keys[i]);
  }
  sql += ") DO ";
  std::string set;
  for (const std::string& name : names) {
    bool is_key = false;
    for (const std::string& k : o_.keys) is_key = is_key || same_ident(name, k);
    if (is_key) continue;
    set += set.empty() ? "UPDATE SET " : ",";
    append_ident(set, name);
    set += "=excluded.";
    append_ident(set, name);
  }
  sql += set.empty() ? "NOTHING" : set;
  return sql;
}

}  // namespace sink
