// Line formats that turn one text line into named fields: logfmt, a regex
// with named groups (RE2), the access-log presets clf/combined, and syslog
// (RFC 3164 and RFC 5424). Their rows in the format table (format_table.hpp)
// name them, build them and sniff them.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace su {

struct ParsedField {
  std::string_view name;
  std::string_view text;
  bool infer = true;  // false: always a string (e.g. a quoted logfmt value)
  bool null = false;  // the value is JSON null (e.g. "-" in an access log)
  bool raw = false;   // text is already JSON (a number, bool, object...)
};

// Appends one field: the step every format takes for each part it finds.
inline void add_field(std::vector<ParsedField>& out, std::string_view name, std::string_view text, bool infer,
                      bool null = false) {
  ParsedField f;
  f.name = name;
  f.text = text;
  f.infer = infer;
  f.null = null;
  out.push_back(f);
}

class LineFormat {
 public:
  virtual ~LineFormat() = default;
  // Parses one line (no line terminator). Views in `out` point into the line or
  // into the format's own storage, valid until the next call. Returns an empty
  // string, or the reason the line does not match.
  virtual std::string parse(std::string_view line, std::vector<ParsedField>& out) = 0;
};

}  // namespace su
