// Every input format of stream-parse in one table: its rows drive --format's
// choices, its --help and docs, the tries of --format auto (in table order),
// and the parser's dispatch (by kind, and by name for the line formats).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "su/formats/csv.hpp"
#include "su/formats/line_format.hpp"

namespace su {

enum class FormatKind : uint8_t { Auto, Ndjson, Csv, Line };

struct FormatInfo {
  const char* name;
  const char* help;  // one line, for --help, the man page and the completions
  FormatKind kind;
  // True when a first non-blank line looks like this format (--format auto
  // tries the rows in order). nullptr: never chosen by auto.
  bool (*sniff)(std::string_view first_line);
  // Line formats: builds the parser; `arg` is the --regex pattern. Throws
  // su::UsageError on a bad argument. nullptr for the other kinds.
  std::unique_ptr<LineFormat> (*make)(const std::string& arg);
  // CSV kinds: quoting and escapes, and the default --delimiter.
  CsvDialect dialect;
};

// The table, in the order --format auto tries it: ndjson, combined (before
// clf: a combined line is also a CLF line with trailing text), clf, syslog,
// logfmt (only key=value lines), tsv (tabs and no comma), csv (a header of
// two fields or more); auto, regex and line are never detected (detect.hpp).
const std::vector<FormatInfo>& formats();
// The row of that name, or nullptr.
const FormatInfo* find_format(std::string_view name);

}  // namespace su
