// stream-agg: group-by aggregates over NDJSON records, emitted when a window
// closes (close control records), every --every period, and at end of input.
#include <CLI/CLI.hpp>
#include <sstream>

#include "runner.hpp"
#include "su/agg/functions.hpp"
#include "su/options.hpp"
#include "su/tool.hpp"

namespace {

// The function table as the values of a SPEC: their help and docs, and the
// words the completions offer (`mean:`, `count`, `p99:`).
std::vector<su::Choice> function_choices() {
  std::vector<su::Choice> v;
  for (const auto& f : su::agg::function_table()) {
    su::Choice c{std::string(f.name), std::string(f.help), std::string(f.doc)};
    const std::string suffix = f.needs_field ? ":" : "";
    if (f.matches) {
      std::istringstream names{std::string(f.examples)};
      for (std::string n; names >> n;) c.words.push_back(n + suffix);
    } else {
      c.words = {c.name + suffix};
    }
    v.push_back(c);
  }
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Group-by aggregates over NDJSON records: one result record per group, emitted when its "
      "window closes and at end of input.\nSPEC is FUNC[:FIELD][=NAME]; output fields are named "
      "count, FIELD_FUNC, or NAME.",
      "stream-agg"};
  stream_agg::Options o;
  CLI::Option* args =
      app.add_option("args", o.args, "SPEC... then input files (default or '-': stdin)")->type_name("SPEC|FILE");
  su::doc(args).choices = function_choices();
  su::doc(args).section = "functions";
  su::doc(args).value = su::OptionDoc::Value::File;
  CLI::Option* by = app.add_option("-b,--by", o.by, "Group by these fields (window tags always join the key)")
                        ->delimiter(',')
                        ->expected(1)
                        ->allow_extra_args(false)
                        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
                        ->type_name("F1,F2");
  su::doc(by).man = "The option may be repeated; the window tags come first in each result.";
  CLI::Option* approx = app.add_flag("--approx", o.approx,
                                     "Bounded memory: percentiles from a DDSketch (1% relative error), distinct from a "
                                     "HyperLogLog (0.81% standard error)");
  su::doc(approx).man =
      "For numbers of one sign, a percentile (and the median) differs from the exact (interpolated) one by at most 1% "
      "of its value. Each sign keeps at most 2048 buckets (16 KiB), which covers a ratio of about 10^17 between the "
      "smallest and the largest magnitude; beyond that the smallest magnitudes are folded together and lose the "
      "guarantee. Magnitudes below 1e-300 count as 0. `distinct` uses 2^14 registers and Ertl's improved estimator: "
      "exact up to 1024 distinct values (it keeps their 64-bit hashes), then a standard error of 0.81% (99.7% of "
      "estimates within 2.43%), in 16 KiB. The other functions already use constant memory, except `mode` (one entry "
      "per distinct value) and `min`, `max`, `first` and `last` on strings (the length of one value).";
  CLI::Option* every =
      su::add_duration(app, "--every", o.every_ns,
                       "Also print a running snapshot of every group each DURATION (e.g. 10s)", "the period");
  su::doc(every).man =
      "Wall-clock time, also while the input is idle; the final results still come at the close or "
      "at end of input.";
  su::add_common_options(app, o.common, /*with_inputs=*/false);
  app.footer("Functions:\n" + su::agg::functions_help());
  return su::run_tool(app, argc, argv, [&] {
    stream_agg::resolve_arguments(o);
    return stream_agg::run(o);
  });
}
