// stream-serve's /latest: the newest record of each key (the --by field's
// value), in the order keys were first seen, bounded in number of keys.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace su::serve {

class LatestTable {
 public:
  // At most max_keys keys (at least 1); records of further new keys are not kept.
  explicit LatestTable(size_t max_keys);

  // Keeps `record` (one JSON object's text) as the newest of `key`. False
  // when the key is new and the table is full (the record is not kept).
  bool put(std::string_view key, std::string_view record);
  size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }

  // The table as one JSON object: `{"KEY":RECORD,...}`, keys in first-seen order.
  std::string to_json() const;
  // The newest record of all (the table of a stream without --by), or `null`.
  std::string newest_json() const;

 private:
  struct Row {
    std::string key, record;
  };
  size_t max_keys_;
  std::vector<Row> rows_;
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, size_t, Hash, std::equal_to<>> index_;
  size_t newest_ = 0;
};

}  // namespace su::serve
