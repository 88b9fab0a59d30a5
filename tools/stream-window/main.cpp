// stream-window: puts NDJSON records into tumbling, hopping, session or count
// windows on event time (or processing time), tags each record with its
// window and writes a close record after the last record of each window.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "su/options.hpp"
#include "su/tool.hpp"
#include "su/window/engine.hpp"
#include "su/window_handler.hpp"

namespace {

struct Options {
  su::CommonOptions common;
  su::WindowArgs window;
  std::vector<std::string> by;
};

int run(const Options& o) {
  su::WindowOptions wo = su::window_options(o.window, o.by, o.common.control_enabled());
  const int64_t idle = o.window.idle.value_or(0);
  // Tumbling and hopping windows are the same for every key: no key to read.
  const bool keyed = wo.spec.kind == su::WindowKind::Session || wo.spec.kind == su::WindowKind::Count;
  su::TimeParser parser = su::window_time_parser(o.window);

  su::InputReader in(o.common.inputs, o.common.max_line_bytes());
  su::Output out(1);
  su::Diagnostics diag("stream-window", o.common);
  su::WindowEngine engine(wo, out);
  su::WindowHandler handler(o.window.time, keyed ? o.by : std::vector<std::string>(), std::move(parser), engine, idle);
  handler.warn_to(&diag);
  if (wo.control)
    handler.checkpoints_to([&out](const su::control::Checkpoint& cp) {
      su::control::append_checkpoint(out.buf(), cp);
      out.end_record();
    });
  su::LoopOptions lo;
  lo.forward_control = wo.control;  // not ours to act on: passed through
  const int status = su::RecordLoop(in, out, diag, handler, lo).run();
  if (std::string late = su::late_summary_text(engine.late(), wo.correct_late); !late.empty()) diag.warn(late);
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Put NDJSON records into tumbling, hopping, session or count windows on event time; write a close "
      "record after the last record of each window.",
      "stream-window"};
  Options o;
  su::add_window_options(app, o.window);
  CLI::Option* by =
      app.add_option("--by", o.by,
                     "Sessions and count windows per key of these fields; their close records name the key")
          ->delimiter(',')
          ->allow_extra_args(false)  // `--by sensor FILE`: FILE is an input, not a second key
          ->type_name("F1,F2")
          ->group("Windows");
  su::doc(by).man = "Top-level fields; a record without one counts as `null` for it.";
  su::add_time_options(app, o.window);
  su::add_common_options(app, o.common);
  return su::run_tool(app, argc, argv, [&] { return run(o); });
}
