// The format table (see format_table.hpp).
#include "su/formats/format_table.hpp"

#include "su/formats/access.hpp"
#include "su/formats/logfmt.hpp"
#include "su/formats/regex.hpp"
#include "su/formats/syslog.hpp"

namespace su {
namespace {

bool sniff_ndjson(std::string_view line) {
  size_t i = line.find_first_not_of(" \t");
  return i != std::string_view::npos && line[i] == '{';
}

bool sniff_tsv(std::string_view line) {
  return line.find('\t') != std::string_view::npos && line.find(',') == std::string_view::npos;
}

bool sniff_csv(std::string_view) {
  return true;
}

// --format line: the whole line, as the string field "line".
class WholeLine : public LineFormat {
 public:
  std::string parse(std::string_view line, std::vector<ParsedField>& out) override {
    out.clear();
    add_field(out, "line", line, false);
    return {};
  }
};

constexpr CsvDialect kCsv{',', '"', false};
constexpr CsvDialect kTsv{'\t', '\0', true};

}  // namespace

// clang-format off
const std::vector<FormatInfo>& formats() {
  static const std::vector<FormatInfo> table = {
      {"auto", "the first format below that fits the first lines (the default); none fits: an error", FormatKind::Auto,
       nullptr, nullptr, {}},
      {"ndjson", "one JSON object per line (validated, compacted)", FormatKind::Ndjson, sniff_ndjson, nullptr, {}},
      {"combined", "Apache/nginx combined access log (CLF + referer, agent)", FormatKind::Line, sniff_combined,
       [](const std::string&) { return make_combined(); }, {}},
      {"clf", "Common Log Format access log (host ident user [time] \"request\" status bytes)", FormatKind::Line,
       sniff_clf, [](const std::string&) { return make_clf(); }, {}},
      {"syslog", "syslog: RFC 3164, RFC 5424, or /var/log/syslog lines without <PRI>", FormatKind::Line,
       sniff_syslog, [](const std::string&) { return make_syslog(); }, {}},
      {"logfmt", "key=value pairs; quoted values are strings, a bare key is true", FormatKind::Line, sniff_logfmt,
       [](const std::string&) { return make_logfmt(); }, {}},
      {"tsv", "tab-separated values with a header line (a line with tabs and no comma)", FormatKind::Csv, sniff_tsv,
       nullptr, kTsv},
      {"csv", "RFC 4180 CSV with a header line (auto: two fields or more)", FormatKind::Csv, sniff_csv, nullptr, kCsv},
      {"regex", "the named groups of --regex PATTERN (RE2) become fields", FormatKind::Line, nullptr, make_regex, {}},
      {"line", "any text: each line whole, as the string field 'line'", FormatKind::Line, nullptr,
       [](const std::string&) -> std::unique_ptr<LineFormat> { return std::make_unique<WholeLine>(); }, {}},
  };
  return table;
}
// clang-format on

const FormatInfo* find_format(std::string_view name) {
  for (const auto& f : formats())
    if (name == f.name) return &f;
  return nullptr;
}

}  // namespace su
