// --format auto (see detect.hpp).
#include "su/formats/detect.hpp"

#include <algorithm>

#include "su/core/line.hpp"
#include "su/formats/csv.hpp"

namespace su {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\xEF')) {
    if (s.front() == '\xEF') {  // a UTF-8 byte order mark
      if (s.substr(0, 3) != "\xEF\xBB\xBF") break;
      s.remove_prefix(3);
      continue;
    }
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// More than half of the lines fit: a few bad lines (a ragged row, a line cut
// by a live start) do not hide a format, and a comma by chance in a line of
// text does not make CSV.
bool most(size_t fit, size_t total) {
  return fit * 2 > total;
}

// The records of lines for a CSV dialect: lines joined while a quoted field
// holds a newline (an odd number of quotes so far). Each is followed by
// kInputPadding bytes, which the SIMD splitter may read (records() gives the
// text without them).
std::vector<std::string> padded_records(const std::vector<std::string_view>& lines, char quote) {
  std::vector<std::string> out;
  bool open = false;
  for (std::string_view l : lines) {
    if (open)
      out.back().append("\n").append(l);
    else
      out.emplace_back(l);
    if (quote)
      for (char c : l)
        if (c == quote) open = !open;
  }
  if (open) out.pop_back();  // incomplete: not evidence either way
  for (std::string& r : out) r.append(kInputPadding, ' ');
  return out;
}

std::string_view record(const std::string& padded) {
  return std::string_view(padded.data(), padded.size() - kInputPadding);
}

// Whether the records split cleanly with the header's number of fields (two
// or more); with `hinted` (CSV options given) any text is taken.
bool fits_csv(const std::vector<std::string_view>& lines, CsvDialect d, bool hinted) {
  std::vector<std::string> recs = padded_records(lines, d.quote);
  if (recs.empty()) return hinted;
  CsvSplitter split(d);
  std::vector<CsvField> cells;
  if (!split.split(record(recs[0]), cells).empty()) return hinted;
  const size_t width = cells.size();
  if (hinted) return true;
  if (width < 2) return false;
  size_t fit = 1;
  for (size_t i = 1; i < recs.size(); ++i)
    if (split.split(record(recs[i]), cells).empty() && cells.size() == width) ++fit;
  return most(fit, recs.size());
}

std::string quoted_start(std::string_view line) {
  constexpr size_t kMax = 60;
  std::string out = "'";
  if (line.size() > kMax) {
    out.append(line.substr(0, kMax));
    out.append("...");
  } else {
    out.append(line);
  }
  out.push_back('\'');
  return out;
}

}  // namespace

Detection detect_format(const std::vector<std::string_view>& lines, const DetectHints& hints) {
  Detection d;
  if (lines.empty()) return d;
  const std::string_view first = trim(lines[0]);
  if (!hints.csv_options && !first.empty() && first.front() == '[') {
    d.error =
        "the input is a JSON array, not NDJSON (one object per line): convert it with jq -c '.[]' "
        "(... | jq -c '.[]' | stream-parse)";
    return d;
  }
  if (!hints.csv_options && !first.empty() && first.front() == '{') {
    if (first.back() == '}') {
      d.format = find_format("ndjson");
    } else {
      d.error =
          "the input looks like JSON spread over several lines, not NDJSON (one object per line): compact it "
          "with jq -c . (... | jq -c . | stream-parse)";
    }
    return d;
  }
  if (!hints.csv_options) {
    for (const FormatInfo& f : formats()) {
      if (f.kind != FormatKind::Line || !f.sniff || !f.sniff(lines[0])) continue;
      size_t fit = 0;
      for (std::string_view l : lines) fit += f.sniff(l) ? 1 : 0;
      if (most(fit, lines.size())) {
        d.format = &f;
        return d;
      }
    }
  }
  // CSV or TSV: TSV when the first line has tabs and no comma (or --delimiter tab).
  const FormatInfo* csv = find_format("csv");
  const FormatInfo* tsv = find_format("tsv");
  const bool tabs = hints.delimiter ? hints.delimiter == '\t' : tsv->sniff(lines[0]);
  const FormatInfo* f = tabs ? tsv : csv;
  CsvDialect dialect = f->dialect;
  if (hints.delimiter) dialect.delimiter = hints.delimiter;
  if (fits_csv(lines, dialect, hints.csv_options)) {
    d.format = f;
    return d;
  }
  std::string names;
  for (const FormatInfo& row : formats()) {
    if (row.kind == FormatKind::Auto) continue;
    if (!names.empty()) names.append(", ");
    names.append(row.name);
  }
  d.error = "cannot tell the input format from ";
  if (lines.size() == 1) {
    d.error.append("its first line ");
    d.error.append(quoted_start(lines[0]));
  } else {
    d.error.append("its first ");
    d.error.append(std::to_string(lines.size()));
    d.error.append(" lines (the first: ");
    d.error.append(quoted_start(lines[0]));
    d.error.append(")");
  }
  d.error.append(": name it with --format (");
  d.error.append(names);
  d.error.append("); --format line takes each line whole, --regex PATTERN any other text");
  return d;
}

}  // namespace su
