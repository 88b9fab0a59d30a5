// libFuzzer target: every line format of the table (logfmt, clf, combined,
// syslog, and a regex with named groups) on arbitrary bytes. Each either
// rejects the line with a reason or gives fields whose views lie inside the
// line or the format's own storage; every field's text must be writable as a
// JSON string that validates. --format auto's detection on the input's lines
// either picks a format or says why not.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "su/core/json_write.hpp"
#include "su/formats/detect.hpp"
#include "su/formats/format_table.hpp"
#include "su/json/json.hpp"

namespace {
void require(bool ok) {
  if (!ok) __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::vector<const su::FormatInfo*> rows;  // the line formats of the table
  static std::vector<std::unique_ptr<su::LineFormat>> formats = [] {
    std::vector<std::unique_ptr<su::LineFormat>> v;
    for (const auto& f : su::formats()) {
      if (!f.make) continue;
      rows.push_back(&f);
      v.push_back(f.make(std::string(f.name) == "regex" ? "(?P<level>[A-Z]+) (?P<n>\\d+)?(?P<msg>.*)" : ""));
    }
    return v;
  }();
  static su::JsonLineParser json;
  std::string_view all(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> lines;
  for (size_t at = 0; at <= all.size() && lines.size() < 20;) {
    size_t nl = all.find('\n', at);
    if (nl == std::string_view::npos) nl = all.size();
    lines.push_back(all.substr(at, nl - at));
    at = nl + 1;
  }
  su::Detection d = su::detect_format(lines);
  require((d.format != nullptr) != !d.error.empty());
  // No newline inside a line: the reader splits on it.
  std::string_view line = all;
  line = line.substr(0, line.find('\n'));
  std::vector<su::ParsedField> fields;
  std::string out;
  for (auto& fmt : formats) {
    const auto& info = *rows[size_t(&fmt - formats.data())];
    if (info.sniff) (void)info.sniff(line);
    std::string reason = fmt->parse(line, fields);
    if (!reason.empty()) continue;
    out.clear();  // not out = "{": GCC 12 -O3 warns -Wrestrict (false positive, GCC PR 105329)
    out.push_back('{');
    for (const su::ParsedField& f : fields) {
      if (out.size() > 1) out.push_back(',');
      su::append_json_string(out, f.name);
      out.push_back(':');
      su::append_json_string(out, f.text);
    }
    out.push_back('}');
    require(json.validate(out).empty());
  }
  return 0;
}
