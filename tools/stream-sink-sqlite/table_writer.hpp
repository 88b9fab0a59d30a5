// The SQLite side of the sink: a table whose columns follow the records (a
// cache of its schema, ALTER TABLE for new fields), one prepared INSERT or
// upsert per column set, reused for every record of that shape, rows of one
// shape gathered into multi-row INSERTs, and the transactions that group rows
// into batches.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "sqlite_db.hpp"
#include "su/core/value.hpp"
#include "su/input.hpp"
#include "su/json/control.hpp"

namespace sink {

// One member of a record: name and value point into the parser's buffers.
struct Field {
  std::string_view name;
  su::Value value;
};

// The table of the sources' checkpoints (CONTRACT 9): the latest of each
// source, never a records table.
inline constexpr std::string_view kCheckpointTable = "_stream_checkpoints";

struct WriterOptions {
  std::string table = "records";
  std::vector<std::string> keys;  // --upsert K1,K2: unique, ON CONFLICT DO UPDATE
  bool truncate = false;          // empty the table in the first transaction
  bool no_alter = false;          // a new field rejects the record
  uint64_t batch = 10000;         // rows per transaction
  bool merge = false;             // --merge: _state merged on conflict, values rewritten from it
};

// The declared type of a new column, from its first value: INTEGER (integers,
// booleans), REAL, TEXT (strings, nested JSON, integers beyond 64 bits), or
// none (null).
std::string_view column_type(const su::Value& v);

// SQLite's type affinity of a declared column type, as far as the sink cares:
// Text (TEXT, CHAR, CLOB), Numeric (INTEGER, REAL, NUMERIC, ...), or None
// (BLOB, no type), https://sqlite.org/datatype3.html 3.1.
enum class Affinity : uint8_t { None, Text, Numeric };
Affinity affinity_of(std::string_view declared_type);

// A JSON integer beyond int64 (`18446744073709551616`), kept as its digits:
// a Json value whose text is the number as written. SQLite's integers are 64
// bits, so it is stored as TEXT with those digits; into a column of numeric
// affinity (which would turn that text into the nearest REAL) it goes as a
// REAL when a double holds it exactly, and is rejected otherwise.
su::Value big_integer(std::string_view digits);
bool is_big_integer(const su::Value& v);

class TableWriter {
 public:
  TableWriter(Db& db, WriterOptions o);
  ~TableWriter();
  TableWriter(const TableWriter&) = delete;
  TableWriter& operator=(const TableWriter&) = delete;

  // Writes one record now. Returns "" or why it was rejected (nothing
  // written). Throws su::Fatal on database errors.
  std::string write(std::span<const Field> fields);

  // Called with a record's line and the reason when add() or flush_rows()
  // rejects it. Set it before add().
  using RejectFn = std::function<void(const su::Line&, std::string_view)>;
  void on_reject(RejectFn fn) { on_reject_ = std::move(fn); }
  // Queues one record (its values are copied; `line` must stay valid until
  // the next flush_rows()) and writes the queue, kChunkRows rows per INSERT
  // statement, when it is full, when the column set changes and at commit().
  // Rejects go to on_reject in line order. Throws su::Fatal on database errors.
  // With stable_texts, the texts are not copied: they (like `line`) must stay
  // valid until the next flush_rows().
  void add(std::span<const Field> fields, const su::Line& line, bool stable_texts = false);
  // Writes the queued rows.
  void flush_rows();
  // Commits the open transaction (queued rows first), if any.
  void commit();
  // A checkpoint: replaces its source's row of kCheckpointTable in the
  // transaction of the rows before it.
  void checkpoint(const su::control::Checkpoint& c, std::string_view record);
  // End of the run: a --truncate still pending is applied when the input was
  // read to its end (so an empty input leaves an empty table); then commits.
  void finish(bool input_done);
  // After an error: commits what the open transaction holds, if SQLite still
  // can; never throws.
  void salvage() noexcept;

  uint64_t rows() const { return rows_; }
  bool in_transaction() const { return in_txn_; }
  const std::string& table() const { return o_.table; }

 private:
  struct Shape;
  void begin();
  // The shape of these fields, or null with *reason. When the table had to
  // be created or altered for them, the record itself is written in the same
  // savepoint (*written): a record rejected then leaves no schema change.
  Shape* shape_for(std::span<const Field> fields, std::string* reason, bool* written);
  std::unique_ptr<Shape> make_shape(std::span<const Field> fields, std::string* reason, bool* written);
  std::string check_fields(std::span<const Field> fields, std::vector<size_t>* key_pos);
  // Which fields are not columns yet (or whether the table must be made),
  // or why they cannot become columns.
  std::string plan_columns(std::span<const Field> fields, std::vector<size_t>* missing, bool* create);
  void undo_schema(bool key_index_was_done);
  void load_schema();
  bool has_column(std::string_view name) const;
  void create_table(std::span<const Field> fields);
  std::string_view declared_type(const Field& f) const;
  void add_column(const Field& f);
  void add_columns(std::span<const Field> fields, const std::vector<size_t>& missing);
  void ensure_key_index();
  std::vector<std::pair<std::string, std::string>> other_key_indexes(const std::string& ours);
  std::string insert_sql(const std::vector<std::string>& names, size_t rows) const;
  std::string bind(Shape& s, std::span<const Field> fields);
  // Why the value cannot go into column `i` of the shape exactly, or "".
  std::string check_value(const Shape& s, size_t i, const Field& f) const;
  std::string insert_one(Shape& s, std::span<const Field> fields);
  bool insert_rows(Shape& s, size_t first, size_t count);
  void reject(const su::Line& line, std::string_view reason);
  // --merge: "" or why the record cannot be merged (no or a bad _state).
  std::string check_merge(std::span<const Field> fields) const;
  std::string check_late(std::span<const Field> fields) const;
  static bool without_late(std::span<const Field> fields, std::vector<Field>& kept);

  // Rows queued by add(), all of one shape: kChunkRows at most. Values are
  // flat (row after row); their texts point into `text`, which never grows
  // while rows are queued (a row that does not fit flushes first).
  struct Queue {
    Shape* shape = nullptr;
    size_t width = 0;
    std::vector<su::Value> values;
    std::vector<su::Line> lines;
    std::string text;
    void clear() {
      shape = nullptr;
      values.clear();
      lines.clear();
      text.clear();
    }
  };

  Db& db_;
  WriterOptions o_;
  Stmt begin_, commit_;
  Stmt checkpoint_;  // the upsert into kCheckpointTable, once there is one
  Stmt savepoint_, release_, rollback_to_;
  Stmt schema_savepoint_, schema_release_, schema_rollback_to_;
  RejectFn on_reject_;
  Queue queue_, flushing_;
  bool in_txn_ = false;
  bool truncate_pending_;
  bool table_exists_ = false;
  bool key_index_done_ = false;
  std::unordered_map<std::string, Affinity> columns_;  // by lowercase name
  uint64_t in_batch_ = 0;
  uint64_t rows_ = 0;
  std::unordered_map<std::string, std::unique_ptr<Shape>> shapes_;
  Shape* last_ = nullptr;
  std::string key_buf_;
};

}  // namespace sink
