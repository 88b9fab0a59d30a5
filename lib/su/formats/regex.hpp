// Any line format given as an RE2 pattern whose named groups become fields.
#pragma once
#include <memory>
#include <string>

#include "su/formats/line_format.hpp"

namespace su {

// Throws su::UsageError for an invalid pattern or one without named groups.
std::unique_ptr<LineFormat> make_regex(const std::string& pattern);

}  // namespace su
