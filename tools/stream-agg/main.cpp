// stream-agg: group-by aggregates over NDJSON records, emitted when a window
// closes (close control records), every --every period, and at end of input.
#include <CLI/CLI.hpp>

#include "runner.hpp"
#include "su/agg/functions.hpp"
#include "su/tool.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Group-by aggregates over NDJSON records: one result record per group, emitted when its "
               "window closes and at end of input.\nSPEC is FUNC[:FIELD][=NAME]; output fields are named "
               "count, FIELD_FUNC, or NAME.",
               "stream-agg"};
  stream_agg::Options o;
  app.add_option("args", o.args, "SPEC... then input files (default or '-': stdin)")->type_name("SPEC|FILE");
  app.add_option("-b,--by", o.by, "Group by these fields (window tags always join the key)")
      ->delimiter(',')
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->type_name("F1,F2");
  app.add_flag("--approx", o.approx,
               "Bounded memory: percentiles from a DDSketch (1% relative error), distinct from a HyperLogLog "
               "(0.81% standard error)");
  app.add_option("--every", o.every, "Also print a running snapshot of every group each DURATION (e.g. 10s)")
      ->type_name("DURATION");
  su::add_common_options(app, o.common, /*with_inputs=*/false);
  app.footer("Functions:\n" + su::agg::functions_help());
  return su::run_tool(app, argc, argv, [&] {
    stream_agg::resolve_arguments(o);
    return stream_agg::run(o);
  });
}
