// One group's saved states on their own, without a group table: read from
// the bytes of a `_state` (their SPECs come with them), merged with another,
// saved again, and each aggregate's value written. What stream-sink-sqlite
// --merge does with the state stored in a row and the one coming in.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "su/agg/functions.hpp"

namespace su::agg {

class SavedGroup {
 public:
  // Reads the bytes of a _state (decoded from base64). Throws StateError.
  explicit SavedGroup(std::string_view bytes);
  ~SavedGroup();
  SavedGroup(const SavedGroup&) = delete;
  SavedGroup& operator=(const SavedGroup&) = delete;

  // Adds other's states: throws StateError, changing nothing, unless it has
  // the same SPECs (output names aside) and the same --approx.
  void merge(SavedGroup& other);
  // The bytes of the states, as read (with this group's SPEC texts).
  std::string save() const;
  size_t size() const { return columns_.size(); }
  // The output name of aggregate i (the result field it fills).
  const std::string& name(size_t i) const { return columns_[i].spec.name; }
  // Appends aggregate i's value as JSON text.
  void write_value(size_t i, std::string& out);

 private:
  void read(std::string_view bytes);
  void release() noexcept;
  struct Col {
    Spec spec;
    std::string saved_spec;
    std::unique_ptr<Function> fn;
    std::unique_ptr<std::byte[], void (*)(std::byte*)> state{nullptr, nullptr};
    bool live = false;  // init() done
  };
  bool approx_ = false;
  std::vector<Col> columns_;
};

}  // namespace su::agg
