// The group table of stream-agg: groups keyed by the JSON text of their key
// values, kept in first-seen order, each with one block holding the states of
// every aggregate; emission of one NDJSON result record per group, and the
// closing of the groups a close control record names.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "su/agg/functions.hpp"
#include "su/core/buffer.hpp"
#include "su/core/json_write.hpp"
#include "su/core/value.hpp"

namespace su::agg {

// One output column: an aggregate over one field.
struct Column {
  Spec spec;
  std::unique_ptr<Function> fn;
  size_t offset = 0;  // of its state in the group's block
};

// With --every, each result says whether it is a running snapshot (true: a
// later result of the same group replaces it) or the group's result (false).
inline constexpr std::string_view kSnapshotField = "_snapshot";

class GroupTable {
 public:
  // key_fields: the names of the key parts, in output order.
  GroupTable(std::vector<std::string> key_fields, const std::vector<Spec>& specs, bool approx);
  ~GroupTable();
  GroupTable(const GroupTable&) = delete;
  GroupTable& operator=(const GroupTable&) = delete;

  // The state block of the group with this key, created when new. The key is
  // the canonical JSON text of each key field joined by '\n' (which no line
  // holds); an empty part means the field is absent (not written).
  std::byte* group(std::string_view key);
  void add(std::byte* block, size_t column, const Value& v) {
    Column& c = columns_[column];
    c.fn->add(block + c.offset, v);
  }

  // Every result ends with `"_state":"BASE64"`, the saved states of its group
  // (su/agg/state.hpp). Throws su::UsageError, naming the SPEC, when a
  // function cannot be saved (it keeps every value).
  void emit_state();
  // Merges a saved group state (the bytes of a `_state`, decoded from base64)
  // into the group with this key (created when new). Throws StateError, and
  // then changes nothing, when the bytes are not the states of these SPECs.
  void merge(std::string_view key, std::string_view saved);
  // The time of the values added next, for first and last (see
  // Function::set_time). Cheap when no column uses it.
  void set_time(int64_t ns) {
    for (size_t c : timed_) columns_[c].fn->set_time(ns);
  }
  bool uses_time() const { return !timed_.empty(); }

  // From now on every result ends with `"_snapshot":true` (written by
  // write_all) or `"_snapshot":false` (a group's result, as it is closed).
  void mark_snapshots() { mark_snapshots_ = true; }

  // Writes one record per group, in first-seen order; the groups stay.
  void write_all(RecordBuffer& out);
  // Writes every group, then frees them all.
  void close_all(RecordBuffer& out);
  // Writes and frees every group whose key matches: want[i] is the JSON text
  // key field i must have, or nullopt when any value matches. Returns how many.
  size_t close_matching(const std::vector<std::optional<std::string>>& want, RecordBuffer& out);

  // Checkpoints (CONTRACT 9): a group made from now on is made by record
  // `n` (records numbered 1, 2, ... by the caller); oldest_group_record()
  // is the number of the record that made the oldest group still open
  // (UINT64_MAX: none).
  void set_record_number(uint64_t n) { record_number_ = n; }
  uint64_t oldest_group_record() const { return order_.empty() ? UINT64_MAX : entries_[order_.front()].first; }
  // The record that made the newest group (0: none yet).
  uint64_t newest_group_record() const { return newest_; }

  size_t size() const { return live_; }
  const std::vector<Column>& columns() const { return columns_; }
  const std::vector<std::string>& key_fields() const { return key_fields_; }
  size_t block_size() const { return stride_; }

 private:
  // Entry i owns state block i of the pool (chunks of kChunk blocks).
  struct Entry {
    std::string key;
    uint64_t hash = 0;
    uint64_t first = 0;  // the record that made it
  };
  static constexpr size_t kChunk = 1024;
  std::byte* block(uint32_t e) const { return chunks_[e / kChunk].get() + size_t(e % kChunk) * stride_; }
  // Open addressing with linear probing: slots hold the top half of the
  // hash and 1 + the entry's index (0 = empty).
  struct Slot {
    uint32_t tag = 0;
    uint32_t entry = 0;
  };

  size_t find_slot(std::string_view key, uint64_t h) const;
  void grow();
  void erase(uint32_t entry);
  void write(uint32_t entry, RecordBuffer& out, bool snapshot = false);
  void append_state(const std::byte* block, std::string& out);
  void release(uint32_t entry);
  uint32_t allocate();

  std::vector<std::string> key_fields_;
  std::vector<std::string> key_names_;  // `"name":` for each key field
  std::vector<Column> columns_;
  std::vector<std::string> column_names_;
  size_t stride_ = 0;
  bool mark_snapshots_ = false;
  uint64_t record_number_ = 0;
  uint64_t newest_ = 0;
  bool emit_state_ = false;
  bool approx_ = false;
  std::vector<std::string> saved_specs_;  // FUNC[:FIELD]=NAME of each column, as saved
  std::vector<size_t> timed_;             // columns that keep times
  std::string saved_;                     // scratch: the bytes of one _state
  std::unique_ptr<std::byte[], void (*)(std::byte*)> scratch_{nullptr, nullptr};  // one block, for merge
  std::vector<Slot> slots_;
  size_t mask_ = 0, live_ = 0;
  std::deque<Entry> entries_;  // a deque: no copy of every entry when it grows
  std::vector<uint32_t> free_entries_;
  std::vector<uint32_t> order_;  // entries in first-seen order
  std::vector<std::unique_ptr<std::byte[], void (*)(std::byte*)>> chunks_;
};

}  // namespace su::agg
