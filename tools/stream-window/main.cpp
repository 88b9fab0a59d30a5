// stream-window: puts NDJSON records into tumbling, hopping, session or count
// windows on event time (or processing time), tags each record with its
// window and writes a close record after the last record of each window.
#include <CLI/CLI.hpp>

#include <time.h>

#include <algorithm>
#include <charconv>

#include <string>
#include <vector>

#include "handler.hpp"
#include "su/core/error.hpp"
#include "su/tool.hpp"
#include "su/core/units.hpp"
#include "su/window/engine.hpp"

namespace {

struct Options {
  su::CommonOptions common;
  std::string kind_arg[4];  // by su::window_kinds() order: tumbling, hopping, session, count
  std::string every, slide;
  std::vector<std::string> by;
  std::string time, time_format, tz;
  std::string grace, idle;
  std::string time_output = "iso";
  std::string max_buffer = "1G";
};

int64_t clock_ns(clockid_t id) {
  timespec ts;
  clock_gettime(id, &ts);
  return int64_t(ts.tv_sec) * su::kNsPerSec + ts.tv_nsec;
}

int64_t count_arg(const char* option, const std::string& s) {
  int64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || v < 1)
    throw su::UsageError(std::string(option) + ": expected a positive number of records, got '" + s + "'");
  return v;
}

su::TimeZone zone_arg(const std::string& tz) {
  auto zone = su::TimeZone::parse(tz);
  if (!zone)
    throw su::UsageError("--tz: unknown zone '" + tz + "' (expected UTC, +01:00 or a name like Europe/Berlin)");
  return *zone;
}

// Turns the options into a window spec; throws UsageError on a bad combination.
su::WindowSpec window_spec(const Options& o) {
  const auto& kinds = su::window_kinds();
  int chosen = -1;
  for (size_t i = 0; i < kinds.size(); ++i) {
    if (o.kind_arg[i].empty()) continue;
    if (chosen >= 0) throw su::UsageError(std::string(kinds[size_t(chosen)].option) + " and " + kinds[i].option +
                                          " cannot be used together");
    chosen = int(i);
  }
  if (chosen < 0) throw su::UsageError("choose a window: --tumbling SIZE, --hopping SIZE --every STEP, --session GAP or --count N");
  su::WindowSpec w;
  w.kind = kinds[size_t(chosen)].kind;
  const std::string& arg = o.kind_arg[chosen];
  if (!o.every.empty() && w.kind != su::WindowKind::Hopping) throw su::UsageError("--every needs --hopping");
  if (!o.slide.empty() && w.kind != su::WindowKind::Count) throw su::UsageError("--slide needs --count");
  const su::TimeZone zone = zone_arg(o.tz);
  switch (w.kind) {
    case su::WindowKind::Tumbling: su::set_tumbling_size(w, arg, zone); break;
    case su::WindowKind::Hopping:
      w.size = su::fixed_window_size_arg("--hopping", arg, zone);
      if (o.every.empty()) throw su::UsageError("--hopping needs --every STEP");
      w.every = su::fixed_window_size_arg("--every", o.every, zone);
      if (w.every <= 0 || w.every > w.size) throw su::UsageError("--every must be more than 0 and at most the --hopping size");
      break;
    case su::WindowKind::Session: w.gap = su::fixed_window_size_arg("--session", arg, su::TimeZone()); break;
    case su::WindowKind::Count:
      w.size = count_arg("--count", arg);
      w.every = o.slide.empty() ? w.size : count_arg("--slide", o.slide);
      if (w.every > w.size) throw su::UsageError("--slide must be at most --count");
      for (const auto& [name, value] :
           {std::pair{"--time", &o.time}, {"--grace", &o.grace}, {"--idle", &o.idle}, {"--tz", &o.tz}})
        if (!value->empty()) throw su::UsageError(std::string(name) + " does not apply to --count windows");
      break;
  }
  // Tumbling and hopping windows are the same for every key: a --by there
  // would change nothing, so say so rather than ignore it.
  if (!o.by.empty() && (w.kind == su::WindowKind::Tumbling || w.kind == su::WindowKind::Hopping))
    throw su::UsageError("--by applies to --session and --count windows; tumbling and hopping windows are the same "
                         "for every key (group by key with stream-agg --by)");
  if ((w.kind == su::WindowKind::Tumbling || w.kind == su::WindowKind::Session) && (w.size < 0 || w.gap < 0))
    throw su::UsageError("window sizes must be positive");
  if (w.uses_time() && w.size == 0 && w.gap == 0) throw su::UsageError("window sizes must be more than 0");
  // Without --time, --tz still places calendar windows (local days of the wall clock).
  if (o.time.empty() && !o.tz.empty() &&
      (w.kind != su::WindowKind::Tumbling || su::parse_window_size(arg)->unit == su::CalendarUnit::None))
    throw su::UsageError("--tz needs --time FIELD, or a calendar window (--tumbling 1d, 1w, 1mo)");
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

su::TimeOutput time_output(const std::string& s) {
  static const std::pair<const char*, su::TimeOutput> table[] = {
      {"iso", su::TimeOutput::Iso}, {"epoch", su::TimeOutput::Epoch}, {"epoch_ms", su::TimeOutput::EpochMs}};
  for (const auto& [name, v] : table)
    if (s == name) return v;
  throw su::UsageError("--time-output: expected iso, epoch or epoch_ms");
}

int run(const Options& o) {
  su::WindowOptions wo;
  wo.spec = window_spec(o);
  wo.grace = o.grace.empty() ? 0 : su::duration_arg("--grace", o.grace);
  wo.time_output = time_output(o.time_output);
  wo.control = o.common.control_enabled();
  wo.max_buffer = su::size_arg("--max-buffer", o.max_buffer);
  const int64_t idle = o.idle.empty() ? 0 : su::duration_arg("--idle", o.idle);
  // Tumbling and hopping windows are the same for every key: no key to read.
  const bool keyed = wo.spec.kind == su::WindowKind::Session || wo.spec.kind == su::WindowKind::Count;
  su::TimeParser parser = time_parser(o);

  su::InputReader in(o.common.inputs, o.common.max_line_bytes());
  su::Output out(1);
  su::Diagnostics diag("stream-window", o.common);
  su::WindowEngine engine(wo, out);
  window_tool::Handler handler(o.time, keyed ? o.by : std::vector<std::string>(), std::move(parser), engine, idle);
  su::LoopOptions lo;
  lo.forward_control = wo.control;  // not ours to act on: passed through
  return su::RecordLoop(in, out, diag, handler, lo).run();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Put NDJSON records into tumbling, hopping, session or count windows on event time; write a close "
               "record after the last record of each window.",
               "stream-window"};
  Options o;
  const auto& kinds = su::window_kinds();
  const char* kind_types[] = {"SIZE", "SIZE", "GAP", "N"};
  for (size_t i = 0; i < kinds.size(); ++i)
    app.add_option(kinds[i].option, o.kind_arg[i], kinds[i].help)->type_name(kind_types[i]);
  app.add_option("--every", o.every, "Hopping windows: time between window starts (at most SIZE)")->type_name("STEP");
  app.add_option("--slide", o.slide, "Count windows: a window ends every M records (default N: no overlap)")
      ->type_name("M");
  app.add_option("--by", o.by, "Sessions and count windows per key of these fields; their close records name the key")
      ->delimiter(',')
      ->allow_extra_args(false)  // `--by sensor FILE`: FILE is an input, not a second key
      ->type_name("F1,F2");
  app.add_option("--time", o.time, "Event time from this field (default: processing time, the wall clock)")
      ->type_name("FIELD");
  app.add_option("--time-format", o.time_format, "Read --time with this strftime format instead of detecting it")
      ->type_name("FORMAT");
  app.add_option("--tz", o.tz,
                 "Zone of timestamps that carry none and of 1d/1w/1mo windows: UTC (default), +01:00, Europe/Berlin")
      ->type_name("ZONE");
  app.add_option("--grace", o.grace, "Event time: a window closes once a record this much past its end is seen")
      ->type_name("D");
  app.add_option("--idle", o.idle, "Event time: after D without input, close every open window (later records for them are late)")
      ->type_name("D");
  app.add_option("--time-output", o.time_output, "window_start/window_end as iso (default), epoch or epoch_ms")
      ->check(CLI::IsMember({"iso", "epoch", "epoch_ms"}))
      ->type_name("FORMAT");
  app.add_option("--max-buffer", o.max_buffer, "Most bytes of records held for open sessions and sliding count "
                                              "windows (default 1G; more is a fatal error)")
      ->type_name("SIZE");
  su::add_common_options(app, o.common);
  return su::run_tool(app, argc, argv, [&] { return run(o); });
}
