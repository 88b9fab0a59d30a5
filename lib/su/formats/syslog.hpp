// syslog lines: RFC 3164 (BSD), RFC 5424, and the /var/log/syslog file form
// without <PRI>.
#pragma once
#include <memory>
#include <string_view>

#include "su/formats/line_format.hpp"

namespace su {

std::unique_ptr<LineFormat> make_syslog();
bool sniff_syslog(std::string_view line);

}  // namespace su
