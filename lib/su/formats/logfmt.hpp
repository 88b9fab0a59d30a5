// logfmt lines (`level=info msg="hello \"you\"" took=1.5 ok`) as named fields.
#pragma once
#include <memory>
#include <string_view>

#include "su/formats/line_format.hpp"

namespace su {

std::unique_ptr<LineFormat> make_logfmt();
// A first line that is key=value pairs (not a CSV or plain-text line).
bool sniff_logfmt(std::string_view line);

}  // namespace su
