// NDJSON records: simdjson On-Demand parsing in place (zero copy), field
// access, and the raw line for pass-through.
#pragma once
#include <simdjson.h>

#include <string>
#include <string_view>

#include "su/core/line.hpp"
#include "su/core/value.hpp"

namespace su {

class JsonLineParser {
 public:
  // Parses one line in place when the reader left enough padding, else via a
  // padded copy. Returns an error message, or empty on success (the line is a
  // JSON object). The document is valid until the next parse.
  std::string parse(const Line& line, simdjson::ondemand::document& doc);
  std::string parse(std::string_view text, simdjson::ondemand::document& doc);
  // Full validation of one line (every value checked), for pass-through tools.
  // On success *obj is the parsed object (valid until the next validate).
  std::string validate(std::string_view text, simdjson::dom::element* obj = nullptr);

  simdjson::ondemand::parser& ondemand() { return parser_; }

 private:
  simdjson::ondemand::parser parser_;
  simdjson::dom::parser dom_;
  simdjson::padded_string copy_;
};

// Converts an On-Demand value to a su::Value. Strings are unescaped into the
// parser's buffer (valid until the next parse); objects and arrays become
// Kind::Json with their raw text.
simdjson::error_code to_value(simdjson::ondemand::value v, Value& out);

// A message for a simdjson error, lowercase, for reject reasons.
std::string json_error_message(simdjson::error_code e);

}  // namespace su
