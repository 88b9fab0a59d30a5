// What stream-plot draws: named series of (x, y) points, bounded by a number
// of points or a span of x, and the ranges a frame shows. Both the terminal
// and the SVG renderers draw a Chart.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace su::plot {

struct Point {
  double x, y;
};

struct Series {
  std::string name;
  std::deque<Point> points;
};

// The ranges a frame shows. x of a time axis is in seconds since the epoch.
struct Bounds {
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  bool empty = true;
};

class Chart {
 public:
  bool time_x = false;               // x is a time (seconds since the epoch), else a number
  std::optional<double> ymin, ymax;  // fixed y range (else automatic)
  size_t max_points = 0;             // per series; 0: no bound
  double span = 0;                   // keep points with x within span of the newest; 0: no bound

  // The index of the series of that name, added at the end when new.
  size_t series(std::string_view name);
  void add(size_t series, double x, double y);
  const std::vector<Series>& all() const { return series_; }
  // The x range (the span up to the newest x, or all points) and the y range
  // of the points inside it (or the fixed one), widened when flat.
  Bounds bounds() const;

 private:
  std::vector<Series> series_;
  double newest_x_ = 0;
  bool any_ = false;
};

// The colour of series i: an ANSI code (31..36, 91..96) and an SVG colour.
int ansi_color(size_t i);
const char* svg_color(size_t i);

}  // namespace su::plot
