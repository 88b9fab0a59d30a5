// The SVG writer (see svg.hpp).
#include "su/plot/svg.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "su/plot/ticks.hpp"

namespace su::plot {
namespace {

void num(std::string& out, double v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, std::round(v * 10) / 10, std::chars_format::fixed, 1);
  out.append(buf, r.ptr);
}

void attr(std::string& out, const char* name, double v) {
  out.push_back(' ');
  out.append(name);
  out.append("=\"");
  num(out, v);
  out.push_back('"');
}

}  // namespace

void append_xml_text(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '<':
        out.append("&lt;");
        break;
      case '>':
        out.append("&gt;");
        break;
      case '&':
        out.append("&amp;");
        break;
      case '"':
        out.append("&quot;");
        break;
      default:
        // Control characters are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n')
          out.push_back(' ');
        else
          out.push_back(c);
    }
  }
}

std::string render_svg(const Chart& chart, int width, int height, std::string_view title) {
  const double left = 64, right = 16, top = title.empty() ? 16 : 36, bottom = 56;
  const double pw = std::max(width - left - right, 10.0), ph = std::max(height - top - bottom, 10.0);
  Bounds b = chart.bounds();
  std::vector<Tick> yt, xt;
  if (!b.empty) {
    if (!chart.ymin && !chart.ymax) widen_to_ticks(b.y0, b.y1, 6);
    yt = number_ticks(b.y0, b.y1, 6);
    xt = chart.time_x ? time_ticks(b.x0, b.x1, 8) : number_ticks(b.x0, b.x1, 8);
  }
  auto sx = [&](double x) { return left + (x - b.x0) / (b.x1 - b.x0) * pw; };
  auto sy = [&](double y) { return top + (b.y1 - y) / (b.y1 - b.y0) * ph; };

  std::string s;
  s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"");
  s.append(" width=\"" + std::to_string(width) + "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " +
           std::to_string(width) + " " + std::to_string(height) + "\"");
  s.append(" font-family=\"sans-serif\" font-size=\"12\">\n");
  s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
  if (!title.empty()) {
    s.append("<text class=\"title\" x=\"");
    num(s, left);
    s.append("\" y=\"22\" font-size=\"14\" font-weight=\"bold\">");
    append_xml_text(s, title);
    s.append("</text>\n");
  }
  // Grid and tick labels.
  s.append("<g class=\"grid\" stroke=\"#e0e0e0\" stroke-width=\"1\">\n");
  for (const auto& t : yt) {
    s.append("<line");
    attr(s, "x1", left), attr(s, "y1", sy(t.at)), attr(s, "x2", left + pw), attr(s, "y2", sy(t.at));
    s.append("/>\n");
  }
  for (const auto& t : xt) {
    s.append("<line");
    attr(s, "x1", sx(t.at)), attr(s, "y1", top), attr(s, "x2", sx(t.at)), attr(s, "y2", top + ph);
    s.append("/>\n");
  }
  s.append("</g>\n<g class=\"yticks\" text-anchor=\"end\" fill=\"#333\">\n");
  for (const auto& t : yt) {
    s.append("<text");
    attr(s, "x", left - 6), attr(s, "y", sy(t.at) + 4);
    s.push_back('>');
    append_xml_text(s, t.label);
    s.append("</text>\n");
  }
  s.append("</g>\n<g class=\"xticks\" text-anchor=\"middle\" fill=\"#333\">\n");
  for (const auto& t : xt) {
    s.append("<text");
    attr(s, "x", sx(t.at)), attr(s, "y", top + ph + 18);
    s.push_back('>');
    append_xml_text(s, t.label);
    s.append("</text>\n");
  }
  s.append("</g>\n<g class=\"axes\" stroke=\"#333\" stroke-width=\"1\">\n<line");
  attr(s, "x1", left), attr(s, "y1", top), attr(s, "x2", left), attr(s, "y2", top + ph);
  s.append("/>\n<line");
  attr(s, "x1", left), attr(s, "y1", top + ph), attr(s, "x2", left + pw), attr(s, "y2", top + ph);
  s.append("/>\n</g>\n");
  if (b.empty) {
    s.append("<text x=\"");
    num(s, left + pw / 2);
    s.append("\" y=\"");
    num(s, top + ph / 2);
    s.append("\" text-anchor=\"middle\" fill=\"#999\">no data</text>\n");
  }
  // One polyline per series, clipped to the plot area.
  s.append("<clipPath id=\"plot\"><rect");
  attr(s, "x", left), attr(s, "y", top), attr(s, "width", pw), attr(s, "height", ph);
  s.append("/></clipPath>\n<g clip-path=\"url(#plot)\" fill=\"none\" stroke-width=\"1.5\">\n");
  for (size_t i = 0; i < chart.all().size(); ++i) {
    const auto& se = chart.all()[i];
    s.append("<polyline class=\"series\" data-name=\"");
    append_xml_text(s, se.name);
    s.append("\" stroke=\"");
    s.append(svg_color(i));
    s.append("\" points=\"");
    bool first = true;
    for (const auto& p : se.points) {
      if (b.empty || p.x < b.x0) continue;
      if (!first) s.push_back(' ');
      first = false;
      num(s, sx(p.x));
      s.push_back(',');
      num(s, sy(p.y));
    }
    s.append("\"/>\n");
  }
  s.append("</g>\n<g class=\"legend\" font-size=\"12\">\n");
  double lx = left;
  const double ly = height - 14;
  for (size_t i = 0; i < chart.all().size(); ++i) {
    const auto& name = chart.all()[i].name;
    s.append("<rect");
    attr(s, "x", lx), attr(s, "y", ly - 9), attr(s, "width", 18), attr(s, "height", 4);
    s.append(" fill=\"");
    s.append(svg_color(i));
    s.append("\"/><text");
    attr(s, "x", lx + 24), attr(s, "y", ly - 3);
    s.push_back('>');
    append_xml_text(s, name);
    s.append("</text>\n");
    lx += 40 + 7.0 * double(name.size());
  }
  s.append("</g>\n</svg>\n");
  return s;
}

}  // namespace su::plot
