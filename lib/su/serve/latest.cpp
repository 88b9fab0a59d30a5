// The latest record per key (see latest.hpp).
#include "su/serve/latest.hpp"

#include <algorithm>

#include "su/core/json_write.hpp"

namespace su::serve {

LatestTable::LatestTable(size_t max_keys) : max_keys_(std::max<size_t>(max_keys, 1)) {}

bool LatestTable::put(std::string_view key, std::string_view record) {
  auto it = index_.find(key);
  if (it == index_.end()) {
    if (rows_.size() >= max_keys_) return false;
    it = index_.emplace(std::string(key), rows_.size()).first;
    rows_.push_back(Row{std::string(key), {}});
  }
  rows_[it->second].record.assign(record);
  newest_ = it->second;
  return true;
}

std::string LatestTable::to_json() const {
  std::string out = "{";
  for (const auto& r : rows_) {
    if (out.size() > 1) out.push_back(',');
    su::append_json_string(out, r.key);
    out.push_back(':');
    out.append(r.record);
  }
  out.push_back('}');
  return out;
}

std::string LatestTable::newest_json() const {
  return rows_.empty() ? std::string("null") : rows_[newest_].record;
}

}  // namespace su::serve
