// stream-gen: made-up records (simulated sensors, logs) at a rate, for demos,
// tests and load: NDJSON by default, CSV, logfmt, or combined/syslog log lines.
#include <CLI/CLI.hpp>

#include "run.hpp"
#include "su/gen/rate.hpp"
#include "su/options.hpp"
#include "su/tool.hpp"

namespace {

std::vector<su::Choice> model_choices() {
  std::vector<su::Choice> v;
  for (const auto& m : su::gen::model_table()) {
    su::Choice c{m.name, m.help, std::string("Written as `") + m.signature + "`."};
    c.words = {};  // models follow NAME=: nothing to complete
    v.push_back(c);
  }
  return v;
}

std::string models_help() {
  std::string h;
  for (const auto& m : su::gen::model_table()) {
    std::string sig = m.signature;
    h += "  " + sig + std::string(sig.size() < 22 ? 22 - sig.size() : 1, ' ') + m.help + "\n";
  }
  return h;
}

std::vector<su::Named<su::gen::Format>> format_names() {
  std::vector<su::Named<su::gen::Format>> v;
  for (const auto& f : su::gen::format_table()) v.push_back({{f.name, f.help}, f.format});
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Made-up records for demos, tests and load: one record per key per tick, at --rate or as fast as stdout "
      "takes them.\nMODEL is NAME=FUNC(ARGS), e.g. temperature=walk(20,0.5).",
      "stream-gen"};
  stream_gen::Options o;
  CLI::Option* models = app.add_option("models", o.models, "The fields to generate, in order")->type_name("MODEL");
  su::doc(models).choices = model_choices();
  su::doc(models).section = "models";
  CLI::Option* rate =
      app.add_option("-r,--rate", o.rate, "Ticks per period: 1/s, 500/s, 2/m, 10/250ms (default: unlimited)")
          ->type_name("RATE")
          ->check(CLI::Validator(
              [](std::string& s) -> std::string {
                return su::gen::parse_rate(s) ? "" : "invalid rate '" + s + "' (expected e.g. 1/s, 500/s, 2/m)";
              },
              ""));
  su::doc(rate).examples = {"1/s", "10/s", "1000/s", "1/m"};
  su::doc(rate).man =
      "A tick writes one record per key. Ticks keep to the schedule on average: after a stall the generator catches "
      "up at once. Without --rate, records are written as fast as the reader takes them.";
  su::add_count(app, "-n,--count", o.count, "Stop after N ticks (default: never)", "ticks");
  CLI::Option* duration =
      su::add_duration(app, "-d,--duration", o.duration_ns,
                       "Stop after DURATION of record time (wall clock, or simulated with --start)", "the duration");
  su::doc(duration).man =
      "With --start, the records' times cover DURATION: with --step 1s and --duration 1m, 60 ticks.";
  CLI::Option* keys =
      app.add_option("-k,--keys", o.keys, "One record per key per tick: FIELD=K1,K2,...")->type_name("FIELD=K1,K2");
  su::doc(keys).examples = {"sensor=s1,s2,s3"};
  CLI::Option* start =
      app.add_option("--start", o.start, "Simulated time: the first tick's time (RFC 3339); no sleeping")
          ->type_name("TIME");
  su::doc(start).man =
      "The time field then goes from *TIME* by --step for each tick, and stream-gen does not sleep unless --rate is "
      "given: for backfills and benchmarks.";
  su::add_duration(app, "--step", o.step_ns, "Simulated time between ticks (default: the --rate period, else 1s)",
                   "the step");
  CLI::Option* tf =
      app.add_option("--time-field", o.time_field, "Name of the time field (default timestamp; '' for none)")
          ->type_name("NAME");
  su::doc(tf).man = "The time is RFC 3339 UTC text, with milliseconds for the wall clock.";
  su::add_enum(app, "-f,--format", o.format, format_names(), "Output format")->type_name("FORMAT");
  app.add_option("--seed", o.seed, "Seed of the random numbers: the same seed gives the same records on every machine")
      ->type_name("N");
  app.add_option("--decimals", o.decimals, "Digits after the point of non-integer numbers (default 2)")
      ->type_name("N")
      ->check(CLI::Range(0, 9));
  CLI::Option* disorder =
      su::add_duration(app, "--disorder", o.disorder_ns, "Out of order: each time goes back by up to DURATION");
  su::doc(disorder).man = "In whole milliseconds; records still come out in tick order.";
  CLI::Option* late = app.add_option("--late", o.late,
                                     "This share of records is late: e.g. 0.1%; its time goes back "
                                     "by 2 to 3 times the --disorder (1m without it)")
                          ->type_name("PERCENT");
  su::doc(late).examples = {"0.1%", "1%"};
  su::add_standard_options(app);
  app.footer("Models:\n" + models_help() + "Log formats take models of their parts: host=..., status=..., ...");
  return su::run_tool(app, argc, argv, [&] {
    su::gen::Spec spec = stream_gen::make_spec(o);
    return stream_gen::run(o, spec);
  });
}
