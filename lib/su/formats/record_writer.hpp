// Writes one record from named text fields: value inference, --types,
// --fields selection. Shared by every input format of stream-parse.
#pragma once
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "su/formats/line_format.hpp"

namespace su {

enum class FieldType { Infer, Int, Float, String, Bool };

struct FieldRules {
  bool infer = true;                                 // --no-infer turns it off
  std::unordered_map<std::string, FieldType> types;  // --types
  std::vector<std::string> keep;                     // --fields (empty: all)
  // Parses "a:int,b:float"; throws UsageError.
  void parse_types(const std::string& spec);
  // The names of --fields, then those of --types, in the order given, each
  // once, with the option that named it first ("--fields", "--types").
  std::vector<std::pair<std::string, std::string>> named() const;

 private:
  std::vector<std::string> type_order_;  // the names of --types as given
};

// A field named by an option (--fields, --types) that no record had.
struct UnseenName {
  std::string option;   // "--fields"
  std::string name;     // "temprature"
  std::string closest;  // the closest name that records had, or ""
};

class RecordWriter {
 public:
  explicit RecordWriter(FieldRules rules);
  // Appends `{...}\n` to out. Returns an empty string or a reject reason
  // (a value that does not fit its --types type); out is unchanged then.
  std::string write(std::string& out, const std::vector<ParsedField>& fields);
  // The names of --fields and --types that no record written had (none when
  // no record was written at all), each with the closest name seen.
  std::vector<UnseenName> unseen_names() const;
  // True once after a field named "_control" was first written, renamed
  // "_control_" (CONTRACT 3), so that the tool can warn once.
  bool take_control_rename() {
    bool r = renamed_control_;
    renamed_control_ = false;
    return r;
  }

 private:
  // Per field position: the name last seen there, its JSON key text
  // (`"name":`), and its --fields/--types rules, computed once per name.
  struct Key {
    bool valid = false;
    std::string name;
    std::string json;
    bool keep = true;
    FieldType type = FieldType::Infer;
  };
  const Key& key_for(size_t i, std::string_view name);
  std::string append_value(std::string& out, const ParsedField& f, FieldType ft) const;

  FieldRules rules_;
  std::vector<std::pair<std::string, std::string>> named_;  // rules_.named()
  std::vector<bool> named_seen_;                            // by index of named_
  std::vector<std::string> seen_;                           // distinct names seen, up to kMaxSeen
  std::unordered_set<std::string> seen_set_;
  static constexpr size_t kMaxSeen = 10000;
  bool renamed_control_ = false;
  std::vector<Key> keys_;
  std::vector<const Key*> slots_;  // this record's keys, by field position
};

}  // namespace su
