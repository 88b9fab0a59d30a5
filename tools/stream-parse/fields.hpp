// Writes one record from named text fields: value inference, --types,
// --fields selection. Shared by every input format of stream-parse.
#pragma once
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "su/line_format.hpp"

namespace su {

enum class FieldType { Infer, Int, Float, String, Bool };

struct FieldRules {
  bool infer = true;                                      // --no-infer turns it off
  std::unordered_map<std::string, FieldType> types;       // --types
  std::vector<std::string> keep;                          // --fields (empty: all)
  // Parses "a:int,b:float"; throws UsageError.
  void parse_types(const std::string& spec);
};

class RecordWriter {
 public:
  explicit RecordWriter(FieldRules rules);
  // Appends `{...}\n` to out. Returns an empty string or a reject reason
  // (a value that does not fit its --types type); out is unchanged then.
  std::string write(std::string& out, const std::vector<ParsedField>& fields);

 private:
  FieldRules rules_;
  std::unordered_map<std::string, FieldType> by_name_;
  std::string name_scratch_;
};

}  // namespace su
