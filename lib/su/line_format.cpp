// The table of line formats (filled by lib/su/logfmt*.cpp etc.).
#include "su/line_format.hpp"

namespace su {

const std::vector<LineFormatInfo>& line_formats() {
  static const std::vector<LineFormatInfo> table = {};
  return table;
}

const LineFormatInfo* find_line_format(std::string_view name) {
  for (const auto& f : line_formats())
    if (name == f.name) return &f;
  return nullptr;
}

}  // namespace su
