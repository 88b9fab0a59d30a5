// --format auto: which row of the format table the first lines of an input
// fit, decided only when it is clear; otherwise the reason, for an error that
// tells the user to name --format (or to convert a JSON array with jq).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "su/formats/format_table.hpp"

namespace su {

struct DetectHints {
  // --delimiter, --no-header or --columns was given: the input is CSV or
  // TSV (TSV when the first line has tabs and no comma, or the delimiter is a tab).
  bool csv_options = false;
  char delimiter = '\0';  // --delimiter, '\0' when not given
};

struct Detection {
  const FormatInfo* format = nullptr;  // nullptr: `error` says why
  std::string error;                   // "the input is a JSON array ...", for `stream-parse: ...`
};

// `lines`: the first non-blank lines of one source, as many as were at hand
// (at least one). A format is chosen when it fits the first line and more
// than half of the lines: NDJSON (the first line is a whole object: `{...}`),
// then the line formats in table order, then TSV and CSV (a header of two
// fields or more and records with as many fields). A JSON array, JSON spread
// over lines, and text that fits nothing are errors.
Detection detect_format(const std::vector<std::string_view>& lines, const DetectHints& hints = {});

}  // namespace su
