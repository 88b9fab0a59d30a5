// The stream-plot loop: reads records through su::RecordLoop, adds their
// values to the chart's series, and draws the chart on the terminal (at most
// --fps frames a second, at each close record, on resize) and into the --svg
// file (atomically), passing the records on with --tee.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "su/tool.hpp"

namespace stream_plot {

struct Options {
  su::CommonOptions common;
  std::string x, by, svg, title;
  std::vector<std::string> y;
  double fps = 10;
  size_t points = 2000;
  std::optional<int64_t> span_ns;
  std::optional<double> ymin, ymax;
  bool tee = false;
  int svg_width = 900, svg_height = 450;
};

// Checks option combinations; throws su::UsageError.
void check_options(const Options& o);

int run(const Options& o);

}  // namespace stream_plot
