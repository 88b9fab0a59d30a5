// Apache/nginx access logs: Common Log Format (clf) and the combined format.
#pragma once
#include <memory>
#include <string_view>

#include "su/formats/line_format.hpp"

namespace su {

std::unique_ptr<LineFormat> make_clf();
std::unique_ptr<LineFormat> make_combined();
bool sniff_clf(std::string_view line);
bool sniff_combined(std::string_view line);

}  // namespace su
