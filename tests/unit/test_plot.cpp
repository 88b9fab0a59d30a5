// stream-plot's library: ticks, series bounds, the braille canvas, the
// terminal frame and the SVG writer.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "su/plot/braille.hpp"
#include "su/plot/chart.hpp"
#include "su/plot/svg.hpp"
#include "su/plot/terminal.hpp"
#include "su/plot/ticks.hpp"

using namespace su::plot;

namespace {
std::vector<std::string> labels(const std::vector<Tick>& t) {
  std::vector<std::string> v;
  for (const auto& x : t) v.push_back(x.label);
  return v;
}
size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t i = s.find(what); i != std::string::npos; i = s.find(what, i + what.size())) ++n;
  return n;
}
}  // namespace

TEST_CASE("ticks: round numbers 1, 2, 5 times a power of ten") {
  CHECK(labels(number_ticks(0, 10, 5)) == std::vector<std::string>{"0", "2", "4", "6", "8", "10"});
  CHECK(labels(number_ticks(14.3, 21.7, 4)) == std::vector<std::string>{"16", "18", "20"});
  CHECK(labels(number_ticks(0.1, 0.35, 5)) == std::vector<std::string>{"0.10", "0.15", "0.20", "0.25", "0.30", "0.35"});
  CHECK(labels(number_ticks(-3, 3, 3)) == std::vector<std::string>{"-2", "0", "2"});
  CHECK(number_ticks(1, 1, 5).empty());
}

TEST_CASE("ticks: widen to the round numbers around a range") {
  double lo = 14.3, hi = 21.7;
  widen_to_ticks(lo, hi, 4);
  CHECK(lo == 14);
  CHECK(hi == 22);
}

TEST_CASE("ticks: time ticks at whole seconds, minutes and hours, UTC labels") {
  const double t0 = 1795255200;  // 2026-11-21T10:00:00Z
  CHECK(labels(time_ticks(t0, t0 + 50, 5)) ==
        std::vector<std::string>{"10:00:00", "10:00:10", "10:00:20", "10:00:30", "10:00:40", "10:00:50"});
  CHECK(labels(time_ticks(t0 + 1, t0 + 3 * 3600, 3)) == std::vector<std::string>{"11:00", "12:00", "13:00"});
  CHECK(labels(time_ticks(t0, t0 + 3 * 86400, 3)) == std::vector<std::string>{"11-22", "11-23", "11-24"});
  CHECK(labels(time_ticks(t0, t0 + 0.5, 3)) == std::vector<std::string>{"00:00.000", "00:00.200", "00:00.400"});
}

TEST_CASE("chart: --points keeps the last N of each series; --span the newest x range") {
  Chart c;
  c.max_points = 3;
  size_t a = c.series("a");
  CHECK(c.series("a") == a);
  for (int i = 0; i < 10; ++i) c.add(a, i, i * 2);
  REQUIRE(c.all()[a].points.size() == 3);
  CHECK(c.all()[a].points.front().x == 7);
  Bounds b = c.bounds();
  CHECK(b.x0 == 7);
  CHECK(b.x1 == 9);
  CHECK(b.y0 == 14);
  CHECK(b.y1 == 18);

  Chart s;
  s.span = 5;
  size_t x = s.series("x");
  for (int i = 0; i < 20; ++i) s.add(x, i, 1);
  CHECK(s.all()[x].points.front().x == 14);
  b = s.bounds();
  CHECK(b.x0 == 14);
  CHECK(b.x1 == 19);
  CHECK(b.y0 < 1);  // a flat series gets a range around it
  CHECK(b.y1 > 1);
}

TEST_CASE("chart: fixed --ymin/--ymax win over the data") {
  Chart c;
  c.ymin = 0;
  c.ymax = 100;
  c.add(c.series("a"), 1, 50);
  c.add(c.series("a"), 2, 150);
  Bounds b = c.bounds();
  CHECK(b.y0 == 0);
  CHECK(b.y1 == 100);
}

TEST_CASE("braille: each dot is its own bit of U+2800") {
  Canvas c(2, 1);
  CHECK(c.width() == 4);
  CHECK(c.height() == 4);
  c.set(0, 0, 0);  // dot 1
  c.set(1, 3, 0);  // dot 8
  c.set(3, 1, 0);  // second cell, dot 5
  c.set(9, 9, 0);  // outside: nothing
  std::string row;
  c.append_row(row, 0, false);
  CHECK(row == "\u2881\u2810");
  Canvas e(3, 1);
  std::string blank;
  e.append_row(blank, 0, false);
  CHECK(blank == "   ");
}

TEST_CASE("braille: a line sets every dot between its ends, with its colour") {
  Canvas c(4, 2);
  c.line(0, 0, 7, 7, 32);
  for (int i = 0; i < 8; ++i) CHECK(c.dot(i, i));
  CHECK_FALSE(c.dot(7, 0));
  std::string row;
  c.append_row(row, 0, true);
  CHECK(row.rfind("\x1b[32m", 0) == 0);
  CHECK(row.find("\x1b[0m") != std::string::npos);
}

TEST_CASE("terminal: the frame fills the size with a legend, the plot, and both axes") {
  Chart c;
  size_t a = c.series("temperature_last"), m = c.series("temperature_mean");
  for (int i = 1; i <= 50; ++i) {
    c.add(a, i, 20 + (i % 7));
    c.add(m, i, 22);
  }
  auto lines = render_terminal(c, 60, 16, false, "50 records");
  REQUIRE(lines.size() == 16);
  CHECK(lines[0].find("temperature_last") != std::string::npos);
  CHECK(lines[0].find("temperature_mean") != std::string::npos);
  CHECK(lines[0].find("50 records") != std::string::npos);
  int braille = 0;
  for (size_t i = 1; i < 14; ++i) {
    const bool axis = lines[i].find("\u2502") != std::string::npos || lines[i].find("\u2524") != std::string::npos;
    CHECK(axis);
    braille += int(count(lines[i], "\xe2\xa0") + count(lines[i], "\xe2\xa1") + count(lines[i], "\xe2\xa2") +
                   count(lines[i], "\xe2\xa3"));
  }
  CHECK(braille > 40);
  CHECK(lines[14].find("\u2514") != std::string::npos);
  CHECK(lines[14].find("\u252c") != std::string::npos);
  CHECK(lines[15].find("20") != std::string::npos);
  CHECK(lines[15].find("40") != std::string::npos);
}

TEST_CASE("terminal: an empty chart says it waits") {
  Chart c;
  c.series("x");
  auto lines = render_terminal(c, 40, 10, false);
  REQUIRE(lines.size() == 10);
  bool waiting = false;
  for (const auto& l : lines) waiting |= l.find("waiting for records") != std::string::npos;
  CHECK(waiting);
}

TEST_CASE("svg: one polyline per series with one coordinate pair per point; names escaped") {
  Chart c;
  c.time_x = true;
  size_t a = c.series("a<b"), b = c.series("s1 & s2");
  for (int i = 0; i < 30; ++i) c.add(a, 1795255200 + i, i);
  for (int i = 0; i < 12; ++i) c.add(b, 1795255200 + i * 2, -i);
  std::string svg = render_svg(c, 800, 400, "T\"itle");
  CHECK(svg.rfind("<?xml", 0) == 0);
  CHECK(count(svg, "<polyline class=\"series\"") == 2);
  CHECK(svg.find("data-name=\"a&lt;b\"") != std::string::npos);
  CHECK(svg.find("data-name=\"s1 &amp; s2\"") != std::string::npos);
  CHECK(svg.find("T&quot;itle") != std::string::npos);
  const size_t p = svg.find("points=\"", svg.find("a&lt;b"));
  const std::string pts = svg.substr(p + 8, svg.find('"', p + 8) - p - 8);
  CHECK(count(pts, ",") == 30);
  CHECK(svg.find(">10:00:10<") != std::string::npos);  // a time tick
  CHECK(svg.find("</svg>") != std::string::npos);
}
