// The table of line formats. Its order is the order of --help and of
// auto-detection: combined before clf (a combined line is also a CLF line with
// trailing text), then syslog, then logfmt (only key=value lines), and regex
// last (never auto-detected).
#include "su/formats/line_format.hpp"

#include "su/formats/access.hpp"
#include "su/formats/logfmt.hpp"
#include "su/formats/regex.hpp"
#include "su/formats/syslog.hpp"

namespace su {

const std::vector<LineFormatInfo>& line_formats() {
  static const std::vector<LineFormatInfo> table = {
      {"combined", "Apache/nginx combined access log (CLF + referer, agent)",
       [](const std::string&) { return make_combined(); }, sniff_combined},
      {"clf", "Common Log Format access log (host ident user [time] \"request\" status bytes)",
       [](const std::string&) { return make_clf(); }, sniff_clf},
      {"syslog", "syslog: RFC 3164, RFC 5424, or /var/log/syslog lines without <PRI>",
       [](const std::string&) { return make_syslog(); }, sniff_syslog},
      {"logfmt", "key=value pairs; quoted values are strings, a bare key is true",
       [](const std::string&) { return make_logfmt(); }, sniff_logfmt},
      {"regex", "the named groups of --regex PATTERN (RE2) become fields", make_regex, nullptr},
  };
  return table;
}

const LineFormatInfo* find_line_format(std::string_view name) {
  for (const auto& f : line_formats())
    if (name == f.name) return &f;
  return nullptr;
}

}  // namespace su
