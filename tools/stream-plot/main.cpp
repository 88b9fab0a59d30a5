// stream-plot: a live chart of NDJSON records in the terminal (Unicode
// braille), and a standalone SVG chart for reports.
#include <CLI/CLI.hpp>

#include "plotter.hpp"
#include "su/options.hpp"
#include "su/tool.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "A live chart of NDJSON records: in the terminal when stdout is one (Unicode braille, redrawn as records "
      "come), and as an SVG file with --svg. One series per --y field (and per --by key).",
      "stream-plot"};
  stream_plot::Options o;
  app.add_option("-y,--y", o.y, "Fields to draw, one series each")
      ->required()
      ->delimiter(',')
      ->expected(1)
      ->allow_extra_args(false)  // `--y a,b FILE`: FILE is an input
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->type_name("F1,F2");
  CLI::Option* x =
      app.add_option("-x,--x", o.x, "Field of the x axis: a time, or a number (default: the record number)")
          ->type_name("FIELD");
  su::doc(x).man =
      "A string is read as a time (RFC 3339, epoch, and the other formats stream-window reads) and makes a time axis "
      "with UTC labels; a number is used as it is. Records whose x is missing or not readable are skipped and counted.";
  app.add_option("-b,--by", o.by, "One series per value of this field (per --y field)")->type_name("FIELD");
  CLI::Option* svg = su::add_file(app, "--svg", o.svg, "Write the chart as SVG to FILE, at each update and at the end");
  su::doc(svg).man =
      "The file is replaced atomically (written to a temporary file in the same folder, then renamed), so a web "
      "server or a browser never sees half a chart.";
  app.add_option("--size", o.svg_width, "Width of the SVG in pixels (default 900; the height is half)")
      ->type_name("PIXELS")
      ->check(CLI::Range(200, 10000))
      ->each([&o](const std::string& v) { o.svg_height = std::stoi(v) / 2; });
  app.add_option("--title", o.title, "Title of the chart")->type_name("TEXT");
  CLI::Option* tee =
      app.add_flag("--tee", o.tee, "Copy the input records to stdout (the chart then goes to stderr's terminal)");
  su::doc(tee).man =
      "So the plot can sit in the middle of a pipeline. Control records are passed on too (see --control).";
  app.add_option("--fps", o.fps, "Redraw at most this many times a second (default 10)")
      ->type_name("N")
      ->check(CLI::Range(0.1, 100.0));
  su::add_count(app, "--points", o.points, "Keep the last N points of each series (default 2000)", "points");
  CLI::Option* span =
      su::add_duration(app, "--span", o.span_ns, "Keep the points within DURATION of the newest x", "the span");
  su::doc(span).man = "Needs --x. With a number axis, the span is counted in seconds (1m is 60).";
  app.add_option("--ymin", o.ymin, "Lower end of the y axis (default: automatic)")->type_name("Y");
  app.add_option("--ymax", o.ymax, "Upper end of the y axis (default: automatic)")->type_name("Y");
  su::add_common_options(app, o.common);
  return su::run_tool(app, argc, argv, [&] {
    stream_plot::check_options(o);
    return stream_plot::run(o);
  });
}
