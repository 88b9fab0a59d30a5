// Series, bounds and colours (see chart.hpp).
#include "su/plot/chart.hpp"

#include <algorithm>
#include <cmath>

namespace su::plot {

size_t Chart::series(std::string_view name) {
  for (size_t i = 0; i < series_.size(); ++i)
    if (series_[i].name == name) return i;
  series_.push_back(Series{std::string(name), {}});
  return series_.size() - 1;
}

void Chart::add(size_t s, double x, double y) {
  auto& pts = series_[s].points;
  pts.push_back({x, y});
  if (!any_ || x > newest_x_) newest_x_ = x;
  any_ = true;
  if (max_points && pts.size() > max_points) pts.pop_front();
  if (span > 0)
    while (!pts.empty() && pts.front().x < newest_x_ - span) pts.pop_front();
}

Bounds Chart::bounds() const {
  Bounds b;
  double lo_x = span > 0 ? newest_x_ - span : 0;
  double ylo = 0, yhi = 0, xlo = 0;
  for (const auto& s : series_)
    for (const auto& p : s.points) {
      if (span > 0 && p.x < lo_x) continue;
      if (b.empty) {
        ylo = yhi = p.y;
        xlo = p.x;
        b.empty = false;
      }
      ylo = std::min(ylo, p.y);
      yhi = std::max(yhi, p.y);
      xlo = std::min(xlo, p.x);
    }
  if (b.empty) return b;
  b.x0 = span > 0 ? lo_x : xlo;
  b.x1 = newest_x_;
  if (b.x1 <= b.x0) b.x1 = b.x0 + 1;
  b.y0 = ymin.value_or(ylo);
  b.y1 = ymax.value_or(yhi);
  if (b.y1 <= b.y0) {
    const double pad = std::max(std::fabs(b.y0) * 0.05, 1.0);
    if (!ymin) b.y0 -= pad;
    if (!ymax || b.y1 <= b.y0) b.y1 = b.y0 + 2 * pad;
  }
  return b;
}

int ansi_color(size_t i) {
  static const int c[] = {32, 33, 36, 35, 31, 34, 92, 93, 96, 95, 91, 94};
  return c[i % (sizeof c / sizeof c[0])];
}

const char* svg_color(size_t i) {
  static const char* c[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                            "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  return c[i % (sizeof c / sizeof c[0])];
}

}  // namespace su::plot
