// The terminal frame (see terminal.hpp).
#include "su/plot/terminal.hpp"

#include <algorithm>
#include <cmath>

#include "su/plot/braille.hpp"
#include "su/plot/ticks.hpp"

namespace su::plot {
namespace {

// Display width of UTF-8 text without escapes (every code point one cell).
int cells(std::string_view s) {
  int n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::vector<std::string> render_terminal(const Chart& chart, int width, int height, bool color,
                                         std::string_view status) {
  std::vector<std::string> lines;
  width = std::max(width, 10);
  height = std::max(height, 5);
  // Legend: one coloured mark and name per series, then the status.
  std::string legend;
  int used = 0;
  for (size_t i = 0; i < chart.all().size(); ++i) {
    const std::string& name = chart.all()[i].name;
    if (used + cells(name) + 3 > width) break;
    if (color) legend += "\x1b[" + std::to_string(ansi_color(i)) + "m";
    legend += "\u2501\u2501";  // ━━
    if (color) legend += "\x1b[0m";
    legend += " " + name + "  ";
    used += cells(name) + 5;
  }
  if (!status.empty() && used + cells(status) <= width) {
    legend.append(size_t(width - used - cells(status)), ' ');
    legend.append(status);
  }
  lines.push_back(legend);

  const int plot_rows = height - 3;
  Bounds b = chart.bounds();
  std::vector<Tick> yt;
  if (!b.empty) {
    if (!chart.ymin && !chart.ymax) widen_to_ticks(b.y0, b.y1, std::max(plot_rows / 3, 2));
    yt = number_ticks(b.y0, b.y1, std::max(plot_rows / 3, 2));
  }
  int label_w = 1;
  for (const auto& t : yt) label_w = std::max(label_w, cells(t.label));
  const int cols = std::max(width - label_w - 2, 2);
  Canvas canvas(cols, plot_rows);
  auto px = [&](double x) { return int(std::lround((x - b.x0) / (b.x1 - b.x0) * (canvas.width() - 1))); };
  auto py = [&](double y) { return int(std::lround((b.y1 - y) / (b.y1 - b.y0) * (canvas.height() - 1))); };
  if (!b.empty) {
    for (size_t i = 0; i < chart.all().size(); ++i) {
      const auto& pts = chart.all()[i].points;
      const uint8_t c = uint8_t(ansi_color(i));
      bool have = false;
      int lx = 0, ly = 0;
      for (const auto& p : pts) {
        if (p.x < b.x0) continue;
        const int x = px(p.x), y = py(p.y);
        if (have)
          canvas.line(lx, ly, x, y, c);
        else
          canvas.set(x, y, c);
        lx = x, ly = y, have = true;
      }
    }
  }
  // The y labels: on the row nearest to each tick.
  std::vector<std::string> row_label(static_cast<size_t>(plot_rows));
  for (const auto& t : yt) {
    const int row = std::clamp(py(t.at) / 4, 0, plot_rows - 1);
    row_label[size_t(row)] = t.label;
  }
  for (int r = 0; r < plot_rows; ++r) {
    std::string l;
    const std::string& lab = row_label[size_t(r)];
    l.append(size_t(label_w - cells(lab)), ' ');
    l.append(lab);
    l.append(lab.empty() ? "\u2502" : "\u2524");  // │ ┤
    canvas.append_row(l, r, color);
    lines.push_back(l);
  }
  if (b.empty && plot_rows > 0) {
    std::string& mid = lines[size_t(1 + plot_rows / 2)];
    mid = std::string(size_t(label_w), ' ') + "\u2502 waiting for records";
  }
  // The x axis: a tick mark under each tick, its label centred below it.
  std::vector<Tick> xt;
  if (!b.empty) {
    const int max_ticks = std::max(cols / 12, 2);
    xt = chart.time_x ? time_ticks(b.x0, b.x1, max_ticks) : number_ticks(b.x0, b.x1, max_ticks);
    if (!chart.time_x) {  // record numbers: whole ticks only
      xt.erase(std::remove_if(xt.begin(), xt.end(), [](const Tick& t) { return t.at != std::floor(t.at); }), xt.end());
    }
  }
  std::vector<std::string> axis(size_t(cols), "\u2500");  // ─
  std::string labels(size_t(label_w + 1 + cols), ' ');
  int free_from = 0;
  for (const auto& t : xt) {
    const int c = std::clamp(px(t.at) / 2, 0, cols - 1);
    axis[size_t(c)] = "\u252C";  // ┬
    const int len = int(t.label.size());
    int at = label_w + 1 + c - len / 2;
    at = std::clamp(at, 0, int(labels.size()) - len);
    if (at < free_from || at < 0) continue;
    labels.replace(size_t(at), size_t(len), t.label);
    free_from = at + len + 1;
  }
  std::string axis_line(size_t(label_w), ' ');
  axis_line.append("\u2514");  // └
  for (const auto& a : axis) axis_line.append(a);
  lines.push_back(axis_line);
  while (!labels.empty() && labels.back() == ' ') labels.pop_back();
  lines.push_back(labels);
  return lines;
}

}  // namespace su::plot
