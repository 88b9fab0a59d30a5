// The terminal frame of a chart: a legend line, the braille plot with the y
// axis and its labels on the left, the x axis with its tick labels, as lines
// of text (UTF-8, ANSI colours optional) that fill width x height cells.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "su/plot/chart.hpp"

namespace su::plot {

// The frame's lines, each at most `width` cells wide; `status` goes at the
// right of the legend line (e.g. counts of skipped values).
std::vector<std::string> render_terminal(const Chart& chart, int width, int height, bool color,
                                         std::string_view status = {});

}  // namespace su::plot
