// The rows of the sink's table: prepared statements per column set, batching,
// transactions, exact values (the schema: table_schema.cpp).
#include "table_writer.hpp"

#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <optional>

#include "state_functions.hpp"
#include "su/core/error.hpp"
#include "su/core/json_write.hpp"
#include "su/json/control.hpp"

namespace sink {
namespace {

using Kind = su::Value::Kind;

// Declared column type per value kind (indexed by su::Value::Kind).
constexpr std::array<std::string_view, 7> kColumnType = {
    /*Missing*/ "",    /*Null*/ "",       /*Bool*/ "INTEGER", /*Int*/ "INTEGER",
    /*Double*/ "REAL", /*String*/ "TEXT", /*Json*/ "TEXT"};

// Keeps the statement cache bounded when every record has its own shape.
constexpr size_t kMaxShapes = 256;

// Rows per multi-row INSERT: one statement run costs about as much as the
// rows it inserts (cursor open, rowid seek, halt); 256 rows share it
// (callgrind: 64 rows -22% instructions, 256 rows 1% more).
constexpr size_t kChunkRows = 256;  // a power of two, at most 2^8
// Texts of the queued rows: room kept between flushes.
constexpr size_t kQueueText = size_t(64) << 10;

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

// 'text' as an SQL string literal.
void append_sql_string(std::string& sql, std::string_view text) {
  sql.push_back('\'');
  for (char c : text) {
    if (c == '\'') sql.push_back('\'');
    sql.push_back(c);
  }
  sql.push_back('\'');
}

}  // namespace

std::string_view column_type(const su::Value& v) {
  return kColumnType[size_t(v.kind)];
}

Affinity affinity_of(std::string_view type) {
  std::string t = ident_lower(type);
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
  if (o_.merge) register_state_functions(db_);
}

// A late correction (stream-window --late correct, through stream-agg) is a
// delta of a closed window: written over the row it would replace it.
std::string TableWriter::check_late(std::span<const Field> fields) const {
  for (const Field& f : fields)
    if (f.name == su::control::kLateField && f.value.kind == Kind::Bool && f.value.b)
      return "a late correction (a delta of a closed window) would replace the row: write states "
             "(stream-agg --emit-state) with --merge";
  return {};
}

// --merge: _late only says how the state came; it is not a column.
bool TableWriter::without_late(std::span<const Field> fields, std::vector<Field>& kept) {
  bool any = false;
  for (const Field& f : fields) any = any || f.name == su::control::kLateField;
  if (!any) return false;
  for (const Field& f : fields)
    if (f.name != su::control::kLateField) kept.push_back(f);
  return true;
}

std::string TableWriter::check_merge(std::span<const Field> fields) const {
  for (const Field& f : fields)
    if (f.name == su::control::kStateField) {
      if (f.value.kind != Kind::String) return std::string(su::control::kStateField) + " is not a string";
      return check_state_text(f.value.s);
    }
  return "--merge: no " + std::string(su::control::kStateField) + " (made by stream-agg --emit-state?)";
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

void TableWriter::checkpoint(const su::control::Checkpoint& c, std::string_view record) {
  flush_rows();
  if (!in_txn_) begin();
  if (!checkpoint_) {
    const std::string t = quote_ident(kCheckpointTable);
    db_.exec("CREATE TABLE IF NOT EXISTS " + t +
             " (source TEXT PRIMARY KEY, file TEXT NOT NULL, \"offset\" INTEGER NOT NULL, line INTEGER, size INTEGER, "
             "watermark TEXT, time TEXT NOT NULL, record TEXT NOT NULL)");
    checkpoint_ =
        Stmt(db_, "INSERT INTO " + t +
                      " (source, file, \"offset\", line, size, watermark, time, record) VALUES (?, ?, ?, ?, ?, "
                      "?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?) ON CONFLICT (source) DO UPDATE SET "
                      "file = excluded.file, \"offset\" = excluded.\"offset\", line = excluded.line, size = "
                      "excluded.size, watermark = excluded.watermark, time = excluded.time, record = "
                      "excluded.record");
  }
  sqlite3_stmt* st = checkpoint_.get();
  sqlite3_bind_text(st, 1, c.source.data(), int(c.source.size()), SQLITE_STATIC);
  sqlite3_bind_text(st, 2, c.file.data(), int(c.file.size()), SQLITE_STATIC);
  sqlite3_bind_int64(st, 3, sqlite3_int64(c.offset));
  sqlite3_bind_int64(st, 4, sqlite3_int64(c.line));
  sqlite3_bind_int64(st, 5, sqlite3_int64(c.size));
  std::string_view w = c.watermark;  // a JSON string: its text
  if (w.size() >= 2 && w.front() == '"' && w.back() == '"') w = w.substr(1, w.size() - 2);
  if (w.empty())
    sqlite3_bind_null(st, 6);
  else
    sqlite3_bind_text(st, 6, w.data(), int(w.size()), SQLITE_STATIC);
  sqlite3_bind_text(st, 7, record.data(), int(record.size()), SQLITE_STATIC);
  checkpoint_.run();
  // Committed by the usual rules (--batch, close, before a wait, the end):
  // always with the rows before it, sometimes with rows after it, which a
  // resumed run writes again (--upsert replaces them).
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
  if (!o_.keys.empty() && !o_.merge)
    if (std::string r = check_late(fields); !r.empty()) return r;
  if (o_.merge) {
    if (std::string r = check_merge(fields); !r.empty()) return r;
    if (std::vector<Field> kept; without_late(fields, kept)) return write(kept);
  }
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
  if (!o_.keys.empty() && !o_.merge) [[unlikely]]
    if (std::string r = check_late(fields); !r.empty()) return reject(line, r);
  if (o_.merge) {
    if (std::string r = check_merge(fields); !r.empty()) return reject(line, r);
    if (std::vector<Field> kept; without_late(fields, kept)) return add(kept, line, stable_texts);
  }
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
      return reject(line, "--upsert key field " + quote_for_message(fields[k].name) + " is null");
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
      return "--upsert key field " + quote_for_message(fields[k].name) + " is null";
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
      .append(quote_for_message(f.name))
      .append(" of table ")
      .append(quote_for_message(o_.table))
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
    for (const Field& f : fields) s->affinity.push_back(columns_.at(ident_lower(f.name)));
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
  // A new table is committed with its batch, not before: a reader sees no
  // table, then whole batches, never one row of a batch.
  return s;
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
    for (size_t i = 0; i < names.size(); ++i) {
      if (i) sql += ",";
      sql += o_.merge && names[i] == su::control::kStateField ? "su_state(?)" : "?";
    }
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
    if (o_.merge) {
      // The stored state merged with the incoming one, and each value column
      // that is an aggregate of it rewritten from the merged state.
      std::string merged = "su_state_merge(";
      append_ident(merged, o_.table);
      merged += ".";
      append_ident(merged, su::control::kStateField);
      merged += ",excluded.";
      append_ident(merged, su::control::kStateField);
      merged += ")";
      if (name == su::control::kStateField) {
        set += "=" + merged;
        continue;
      }
      set += "=su_state_value(" + merged + ",";
      append_sql_string(set, name);
      set += ",excluded.";
      append_ident(set, name);
      set += ")";
      continue;
    }
    set += "=excluded.";
    append_ident(set, name);
  }
  sql += set.empty() ? "NOTHING" : set;
  return sql;
}

}  // namespace sink
