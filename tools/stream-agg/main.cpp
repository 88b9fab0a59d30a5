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
  su::doc(by).man =
      "The option may be repeated; the window tags come first in each result. With --session or --count, "
      "the windows are kept per key of these fields too (as `stream-window --by`).";
  CLI::Option* approx = app.add_flag("--approx", o.approx,
                                     "Bounded memory: percentiles from a DDSketch (1% relative error), distinct from a "
                                     "HyperLogLog (0.81% standard error)");
  su::doc(approx).man =
      "Without it, an exact percentile or median keeps every value of its group, 8 bytes each, until the group "
      "is written: for the whole run when there are no windows. For numbers of one sign, a percentile (and the median) "
      "differs from the exact (interpolated) one by at most 1% "
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
  CLI::Option* emit = app.add_flag("--emit-state", o.emit_state,
                                   "Add _state to each result: its group's mergeable states, for --merge");
  su::doc(emit).man =
      "`_state` is a versioned, compact binary encoding, in base64, of the group's aggregate states: counts, exact "
      "integer and float sums, min and max, first and last with the time each was read, the exact power sums of "
      "`var` and `stddev`, and under `--approx` the DDSketch buckets and HyperLogLog registers. Exact median, "
      "percentiles, `distinct` and `mode` keep every value and cannot be merged in bounded memory: with "
      "`--emit-state` they are a usage error (use `--approx`). Not with `--every` (a snapshot's state would be "
      "counted twice).";
  CLI::Option* merge = app.add_flag(
      "--merge", o.merge, "Merge the _state of results from any number of parts (same --by and SPECs as the parts)");
  su::doc(merge).man =
      "Records without a `_state`, or with one made by other SPECs or `--approx`, are rejected. The results equal "
      "those of one process over all the parts' input: bit for bit for `count`, `sum`, `mean`, `min`, `max`, "
      "`var` and `stddev` (sums are exact and rounded once), within the bounds of `--approx` for percentiles and "
      "`distinct`; `first` and `last` are the values read earliest and latest by the parts' wall clocks. With "
      "`--emit-state` again, the merged results carry `_state`, for trees of merges.";
  CLI::Option* parts = su::add_count(app, "--parts", o.parts,
                                     "With --merge: a window's result is out once N parts have closed it", "parts");
  su::doc(parts).man =
      "Each upstream part forwards the close of a window after its results; the merged result of the window is "
      "emitted, and its close forwarded once, when the close has come N times, and at end of input. Default 1.";
  su::add_window_options(app, o.window, stream_agg::kWindowNames);
  su::add_time_options(app, o.window, stream_agg::kWindowNames);
  su::add_common_options(app, o.common, /*with_inputs=*/false);
  app.footer("Functions:\n" + su::agg::functions_help());
  return su::run_tool(app, argc, argv, [&] {
    stream_agg::resolve_arguments(o);
    return stream_agg::run(o);
  });
}
