// The sink's table schema: which fields can be columns, creating the table
// and adding columns (one ALTER TABLE each), the
// schema cache, and the unique index of the --upsert keys.
#include <algorithm>

#include "su/core/error.hpp"
#include "su/json/control.hpp"
#include "table_writer.hpp"

namespace sink {

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
      return "field name " + quote_for_message(f.name) +
             " holds U+0000, which SQLite cannot take in a column name: keep the other fields "
             "(`stream-parse --fields`), or the record whole in one JSON column (`jq -c '{record: .}'`)";
    if (!seen.insert(ident_lower(f.name)).second)
      return "field " + quote_for_message(f.name) + " appears twice (names are case-insensitive)";
  }
  for (const std::string& k : o_.keys) {
    size_t i = 0;
    while (i < fields.size() && !same_ident(fields[i].name, k)) ++i;
    if (i == fields.size()) return "missing --upsert key field " + quote_for_message(k);
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
    m += ": table " + quote_for_message(o_.table) + " would have " + std::to_string(have + need) +
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
      return "new field " + quote_for_message(fields[i].name) + " is not a column of table " +
             quote_for_message(o_.table) + " (--no-alter)";
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
  while (q.step()) columns_.emplace(ident_lower(text(0)), affinity_of(text(1)));
  table_exists_ = !columns_.empty();
}

bool TableWriter::has_column(std::string_view name) const {
  return columns_.count(ident_lower(name)) != 0;
}

std::string_view TableWriter::declared_type(const Field& f) const {
  if (o_.merge && f.name == su::control::kStateField) return "BLOB";  // su_state() makes it one
  return column_type(f.value);
}

void TableWriter::create_table(std::span<const Field> fields) {
  std::string sql = "CREATE TABLE ";  // under our write lock: nobody else creates it meanwhile
  append_ident(sql, o_.table);
  sql += " (";
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) sql += ", ";
    append_ident(sql, fields[i].name);
    std::string_view type = declared_type(fields[i]);
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
  std::string_view type = declared_type(f);
  if (!type.empty()) sql.append(" ").append(type);
  db_.exec(sql);
  columns_.emplace(ident_lower(f.name), affinity_of(type));
}

void TableWriter::add_columns(std::span<const Field> fields, const std::vector<size_t>& missing) {
  // One ALTER TABLE each. Each re-reads the whole schema (2000 new columns
  // take about 2 s), but it is the only way SQLite supports: editing the
  // CREATE TABLE text in sqlite_schema is faster and can corrupt a database.
  for (size_t i : missing) add_column(fields[i]);
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
        .append(quote_for_message(o_.table))
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

}  // namespace sink
