// A chart as a standalone SVG document: white background, grid, axes with
// number or time ticks, one polyline per series (class "series", its name in
// data-name, one coordinate pair per point), and a legend.
#pragma once
#include <string>
#include <string_view>

#include "su/plot/chart.hpp"

namespace su::plot {

std::string render_svg(const Chart& chart, int width, int height, std::string_view title = {});
// Text escaped for XML character data and attribute values.
void append_xml_text(std::string& out, std::string_view s);

}  // namespace su::plot
