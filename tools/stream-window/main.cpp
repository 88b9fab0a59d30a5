// stream-window: puts NDJSON records into tumbling, hopping, session or count
// windows on event time (or processing time), tags each record with its
// window and writes a close record after the last record of each window.
#include <time.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "handler.hpp"
#include "su/core/error.hpp"
#include "su/core/units.hpp"
#include "su/options.hpp"
#include "su/tool.hpp"
#include "su/window/engine.hpp"

namespace {

struct Options {
  su::CommonOptions common;
  // The window options given (--tumbling 1m ...), by option name; each value
  // is checked when parsed by its row of su::window_kinds().
  std::map<std::string, std::string, std::less<>> windows;
  std::string every;             // between hopping window starts, as given (placed by the --tz zone)
  std::optional<int64_t> slide;  // records between count window ends
  std::vector<std::string> by;
  std::string time, time_format, tz;
  std::optional<int64_t> grace, idle;  // ns
  su::TimeOutput time_output = su::TimeOutput::Iso;
  uint64_t max_buffer = uint64_t(1) << 30;  // bytes
  std::string late = "reject";              // --late reject|correct
};

int64_t clock_ns(clockid_t id) {
  timespec ts;
  clock_gettime(id, &ts);
  return int64_t(ts.tv_sec) * su::kNsPerSec + ts.tv_nsec;
}

su::TimeZone zone_arg(const std::string& tz) {
  auto zone = su::TimeZone::parse(tz);
  if (!zone)
    throw su::UsageError("--tz: unknown zone '" + tz + "' (expected UTC, +01:00 or a name like Europe/Berlin)");
  return *zone;
}

// Turns the options into a window spec; throws UsageError on a bad combination.
su::WindowSpec window_spec(const Options& o) {
  const su::WindowKindInfo* chosen = nullptr;
  for (const auto& k : su::window_kinds()) {
    if (!o.windows.count(k.option)) continue;
    if (chosen) throw su::UsageError(std::string(chosen->option) + " and " + k.option + " cannot be used together");
    chosen = &k;
  }
  if (!chosen)
    throw su::UsageError("choose a window: --tumbling SIZE, --hopping SIZE --every STEP, --session GAP or --count N");
  su::WindowSpec w;
  w.kind = chosen->kind;
  const std::string& arg = o.windows.find(chosen->option)->second;
  std::string why = chosen->read(arg, w);
  if (!why.empty()) throw su::UsageError(std::string(chosen->option) + ": " + why);  // checked when parsed already
  if (!o.every.empty() && w.kind != su::WindowKind::Hopping) throw su::UsageError("--every needs --hopping");
  if (o.slide && w.kind != su::WindowKind::Count) throw su::UsageError("--slide needs --count");
  const su::TimeZone zone = zone_arg(o.tz);
  switch (w.kind) {
    case su::WindowKind::Tumbling:
      su::set_tumbling_size(w, arg, zone);
      break;
    case su::WindowKind::Hopping:
      w.size = su::fixed_window_size_arg("--hopping", arg, zone);
      if (o.every.empty()) throw su::UsageError("--hopping needs --every STEP");
      w.every = su::fixed_window_size_arg("--every", o.every, zone);
      if (std::string why = su::check_hopping(w.size, w.every); !why.empty()) throw su::UsageError(why);
      break;
    case su::WindowKind::Session:
      w.gap = su::fixed_window_size_arg("--session", arg, su::TimeZone());
      break;
    case su::WindowKind::Count:
      w.every = o.slide.value_or(w.size);
      if (w.every > w.size) throw su::UsageError("--slide must be at most --count");
      for (const auto& [name, given] : {std::pair{"--time", !o.time.empty()},
                                        {"--grace", o.grace.has_value()},
                                        {"--idle", o.idle.has_value()},
                                        {"--tz", !o.tz.empty()}})
        if (given) throw su::UsageError(std::string(name) + " does not apply to --count windows");
      break;
  }
  // Without --time, --tz still places calendar windows (local days of the wall clock).
  if (o.time.empty() && !o.tz.empty() &&
      (w.kind != su::WindowKind::Tumbling || su::parse_window_size(arg)->unit == su::CalendarUnit::None))
    throw su::UsageError("--tz needs --time FIELD, or a calendar window (--tumbling 1d, 1w, 1mo)");
  // Tumbling and hopping windows are the same for every key: a --by there
  // would change nothing, so say so rather than ignore it.
  if (!o.by.empty() && (w.kind == su::WindowKind::Tumbling || w.kind == su::WindowKind::Hopping))
    throw su::UsageError(
        "--by applies to --session and --count windows; tumbling and hopping windows are the same "
        "for every key (group by key with stream-agg --by)");
  return w;
}

su::TimeParser time_parser(const Options& o) {
  if (o.time.empty() && !o.time_format.empty()) throw su::UsageError("--time-format needs --time FIELD");
  if (!o.time_format.empty()) {
    std::string why = su::check_strftime_format(o.time_format);
    if (!why.empty()) throw su::UsageError("--time-format: " + why);
  }
  su::TimeParser p(zone_arg(o.tz), o.time_format);
  p.set_clock(clock_ns(CLOCK_REALTIME));
  return p;
}

int run(const Options& o) {
  su::WindowOptions wo;
  wo.spec = window_spec(o);
  wo.grace = o.grace.value_or(0);
  wo.time_output = o.time_output;
  wo.control = o.common.control_enabled();
  wo.max_buffer = o.max_buffer;
  wo.correct_late = o.late == "correct";
  if (wo.correct_late && wo.spec.kind != su::WindowKind::Tumbling && wo.spec.kind != su::WindowKind::Hopping)
    throw su::UsageError(
        "--late correct: for tumbling and hopping windows (a late record of a session or count "
        "window has no closed window of its own)");
  const int64_t idle = o.idle.value_or(0);
  // Tumbling and hopping windows are the same for every key: no key to read.
  const bool keyed = wo.spec.kind == su::WindowKind::Session || wo.spec.kind == su::WindowKind::Count;
  su::TimeParser parser = time_parser(o);

  su::InputReader in(o.common.inputs, o.common.max_line_bytes());
  su::Output out(1);
  su::Diagnostics diag("stream-window", o.common);
  su::WindowEngine engine(wo, out);
  window_tool::Handler handler(o.time, keyed ? o.by : std::vector<std::string>(), std::move(parser), engine, idle);
  handler.warn_to(&diag);
  if (wo.control) handler.checkpoints_to(&out);
  su::LoopOptions lo;
  lo.forward_control = wo.control;  // not ours to act on: passed through
  const int status = su::RecordLoop(in, out, diag, handler, lo).run();
  if (std::string late = su::late_summary_text(engine.late(), wo.correct_late); !late.empty()) diag.warn(late);
  return status;
}

// "--time FIELD" help: the formats recognised, from the time parser's own list.
std::string time_help() {
  std::string h = "Event time from this field (default: processing time, the wall clock)\nRecognised by itself:";
  for (const auto& f : su::detected_time_formats()) {
    h.append("\n  ");
    h.append(f.name);
    h.append(": ");
    h.append(f.example);
  }
  h.append("\nOthers with --time-format");
  return h;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Put NDJSON records into tumbling, hopping, session or count windows on event time; write a close "
      "record after the last record of each window.",
      "stream-window"};
  Options o;
  for (const auto& k : su::window_kinds()) {
    auto keep = [&o, &k](const std::string& v) { o.windows[k.option] = v; };
    auto check = [&k](const std::string& v) {
      su::WindowSpec spec;
      return k.read(v, spec);
    };
    CLI::Option* w = app.add_option_function<std::string>(k.option, keep, k.help)->check(check);
    w->type_name(k.value_name)->group("Windows");
    su::doc(w).man = k.doc;
    su::doc(w).exclusive = "window";
    if (k.kind != su::WindowKind::Count) su::doc(w).examples = su::duration_examples();
  }
  CLI::Option* every = app.add_option("--every", o.every, "Hopping windows: time between window starts (at most SIZE)")
                           ->check([](const std::string& v) {
                             su::WindowSpec spec;  // the syntax now; its zone rules once --tz is known
                             return su::find_window_kind("--hopping")->read(v, spec);
                           })
                           ->type_name("STEP")
                           ->group("Windows");
  su::doc(every).examples = su::duration_examples();
  su::add_count(app, "--slide", o.slide, "Count windows: a window ends every M records (default N: no overlap)",
                "records")
      ->type_name("M")
      ->group("Windows");
  CLI::Option* by =
      app.add_option("--by", o.by,
                     "Sessions and count windows per key of these fields; their close records name the key")
          ->delimiter(',')
          ->allow_extra_args(false)  // `--by sensor FILE`: FILE is an input, not a second key
          ->type_name("F1,F2")
          ->group("Windows");
  su::doc(by).man = "Top-level fields; a record without one counts as `null` for it.";
  CLI::Option* max_buffer =
      su::add_size(app, "--max-buffer", o.max_buffer,
                   "Most bytes held for open windows and keys (default 1G); a record that would take more is "
                   "rejected\nThe windows open stay whole; the reject's reason starts with 'window buffer full'");
  su::doc(max_buffer->group("Windows")).man =
      "A record that does not fit is rejected (exit status 1); the windows open keep their records. What it "
      "counts: see *Memory bound* above.";
  CLI::Option* time = app.add_option("--time", o.time, time_help())->type_name("FIELD")->group("Time");
  su::doc(time).man =
      "A top-level field. A record without it, or whose value is not a time, is rejected with a reason that names "
      "the field and the value. The formats above are recognised by themselves, as DESCRIPTION explains; a time "
      "whose window would end after 2262 or start before 1677 (the range of int64 nanoseconds) is rejected too.";
  CLI::Option* time_format =
      app.add_option("--time-format", o.time_format, "Read --time with this strftime format instead of detecting it")
          ->type_name("FORMAT")
          ->group("Time");
  su::doc(time_format).man =
      "Supported: `%Y` `%y` `%m` `%d` `%e` `%H` `%I` `%M` `%S` `%p` `%j`, `%b` `%h` `%B` `%a` `%A` (English names), "
      "`%f` (fraction of a second), `%z` (offset), `%Z` (UTC, GMT or Z only), `%s` (epoch seconds), "
      "`%T` `%R` `%D` `%F` `%n` `%t` `%%`; a space matches any run of white space.";
  CLI::Option* tz =
      app.add_option(
             "--tz", o.tz,
             "Zone of timestamps that carry none and of 1d/1w/1mo windows: UTC (default), +01:00, Europe/Berlin")
          ->type_name("ZONE")
          ->group("Time");
  su::doc(tz).man =
      "A fixed offset like `+01:00` or `UTC+2`, or a zone name like `Europe/Berlin` from the system's "
      "zone database. Timestamps without a zone are read in it, and calendar windows (`--tumbling 1d`, "
      "`1w`, `1mo`) start on its local midnight. A wall time that a daylight-saving change skips is read with "
      "the offset from before the change; one that comes twice, as the first of the two.";
  su::doc(tz).examples = {"UTC", "+01:00", "-05:00", "Europe/Berlin", "America/New_York"};
  CLI::Option* grace = su::add_duration(app, "--grace", o.grace,
                                        "Event time: a window closes once a record this much past its end is seen "
                                        "(default 0)\nA record for a closed window is rejected as late; the end "
                                        "of the run says which --grace would have kept them")
                           ->type_name("D")
                           ->group("Time");
  su::doc(grace).man =
      "Records up to *D* out of order still reach their window. With the default 0, a window closes at the "
      "first record at or after its end. A later record for it is *late*: rejected with reason `late` (see "
      "--rejects; exit status 1), never silently dropped. At the end, stderr says how many were late, the "
      "largest lateness, and the --grace that would have kept them all.";
  CLI::Option* late = su::add_choice(
      app, "--late", o.late,
      {{"reject", "reject a late record with reason late (the default)"},
       {"correct", "pass it on tagged with its closed window and \"_late\":true, then that window's close again"}},
      "What to do with a record whose window has closed:");
  late->group("Time");
  su::doc(late).man =
      "With `correct`, `stream-agg` emits a result for the late records of the window alone (a delta, marked "
      "`\"_late\":true`); with `stream-agg --emit-state` into `stream-sink-sqlite --merge`, the stored row then "
      "ends as if the record had come in time. Tumbling and hopping windows only. The end-of-run summary counts "
      "the corrections and names the largest lateness and the --grace that would have kept them.";
  CLI::Option* idle =
      su::add_duration(app, "--idle", o.idle,
                       "Event time: after D without input, close every open window (later records for them are late)")
          ->type_name("D")
          ->group("Time");
  su::doc(idle).man =
      "Choose *D* longer than the usual pauses of the input. In processing time, windows close on "
      "the wall clock whether input comes or not.";
  CLI::Option* time_output = su::add_enum<su::TimeOutput>(
      app, "--time-output", o.time_output,
      {{{"iso", "RFC 3339 UTC strings (the default)"}, su::TimeOutput::Iso},
       {{"epoch", "seconds since the epoch", "A number, with a fraction only when needed."}, su::TimeOutput::Epoch},
       {{"epoch_ms", "milliseconds since the epoch", "A number, with a fraction only when needed."},
        su::TimeOutput::EpochMs}},
      "How window_start and window_end are written:");
  time_output->type_name("FORMAT")->group("Time");
  su::add_common_options(app, o.common);
  return su::run_tool(app, argc, argv, [&] { return run(o); });
}
