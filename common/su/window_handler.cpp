// The shared window options and stream-window's record callbacks (see window_handler.hpp).
#include "su/window_handler.hpp"

#include <time.h>

#include <algorithm>

#include "su/core/error.hpp"
#include "su/core/json_write.hpp"
#include "su/core/units.hpp"
#include "su/options.hpp"

namespace su {
namespace {
int64_t clock_ns(clockid_t id) {
  timespec ts;
  clock_gettime(id, &ts);
  return int64_t(ts.tv_sec) * kNsPerSec + ts.tv_nsec;
}

TimeZone zone_arg(const std::string& tz) {
  auto zone = TimeZone::parse(tz);
  if (!zone) throw UsageError("--tz: unknown zone '" + tz + "' (expected UTC, +01:00 or a name like Europe/Berlin)");
  return *zone;
}

// "--time FIELD" help: the formats recognised, from the time parser's own list.
std::string time_help() {
  std::string h = "Event time from this field (default: processing time, the wall clock)\nRecognised by itself:";
  for (const auto& f : detected_time_formats()) {
    h.append("\n  ");
    h.append(f.name);
    h.append(": ");
    h.append(f.example);
  }
  h.append("\nOthers with --time-format");
  return h;
}

// The fields to read: the time field (when there is one), then the --by
// fields, then the extra ones, each once.
std::vector<std::string> wanted(const std::string& time_field, const std::vector<std::string>& by,
                                const std::vector<ExtraField>& extra) {
  std::vector<std::string> names;
  auto add = [&names](const std::string& n) {
    if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  };
  if (!time_field.empty()) names.push_back(time_field);
  for (const auto& b : by) add(b);
  for (const auto& e : extra) add(e.name);
  return names;
}
// Text about --every, for a tool whose hopping step is named otherwise.
std::string with_step(std::string text, std::string_view step) {
  constexpr std::string_view kEvery = "--every";
  if (step == kEvery) return text;
  for (size_t at = text.find(kEvery); at != std::string::npos; at = text.find(kEvery, at + step.size()))
    text.replace(at, kEvery.size(), step);
  return text;
}
}  // namespace

std::string WindowArgs::stray(const WindowOptionNames& names) const {
  if (!every.empty()) return names.step;
  if (slide) return "--slide";
  if (!time.empty()) return "--time";
  if (!time_format.empty()) return "--time-format";
  if (!tz.empty()) return "--tz";
  if (grace) return "--grace";
  if (idle) return "--idle";
  if (time_output != TimeOutput::Iso) return "--time-output";
  if (max_buffer != uint64_t(1) << 30) return "--max-buffer";
  if (late != "reject") return "--late";
  return {};
}

void add_window_options(CLI::App& app, WindowArgs& a, const WindowOptionNames& names) {
  for (const auto& k : window_kinds()) {
    auto keep = [&a, &k](const std::string& v) { a.windows[k.option] = v; };
    auto check = [&k](const std::string& v) {
      WindowSpec spec;
      return k.read(v, spec);
    };
    CLI::Option* w = app.add_option_function<std::string>(k.option, keep, with_step(k.help, names.step))->check(check);
    w->type_name(k.value_name)->group("Windows");
    doc(w).man = with_step(k.doc, names.step);
    doc(w).exclusive = "window";
    if (k.kind != WindowKind::Count) doc(w).examples = duration_examples();
  }
  CLI::Option* every = app.add_option(names.step, a.every, "Hopping windows: time between window starts (at most SIZE)")
                           ->check([](const std::string& v) {
                             WindowSpec spec;  // the syntax now; its zone rules once --tz is known
                             return find_window_kind("--hopping")->read(v, spec);
                           })
                           ->type_name("STEP")
                           ->group("Windows");
  doc(every).examples = duration_examples();
  add_count(app, "--slide", a.slide, "Count windows: a window ends every M records (default N: no overlap)", "records")
      ->type_name("M")
      ->group("Windows");
}

void add_time_options(CLI::App& app, WindowArgs& a, const WindowOptionNames& names) {
  CLI::Option* max_buffer =
      add_size(app, "--max-buffer", a.max_buffer,
               "Most bytes held for open windows and keys (default 1G); a record that would take more is "
               "rejected\nThe windows open stay whole; the reject's reason starts with 'window buffer full'");
  doc(max_buffer->group("Windows")).man =
      "A record that does not fit is rejected (exit status 1); the windows open keep their records. What it "
      "counts: see " +
      std::string(names.memory_bound) + ".";
  CLI::Option* time = app.add_option("--time", a.time, time_help())->type_name("FIELD")->group("Time");
  doc(time).man =
      "A top-level field. A record without it, or whose value is not a time, is rejected with a reason that names "
      "the field and the value. The formats above are recognised by themselves, as DESCRIPTION explains; a time "
      "whose window would end after 2262 or start before 1677 (the range of int64 nanoseconds) is rejected too.";
  CLI::Option* time_format =
      app.add_option("--time-format", a.time_format, "Read --time with this strftime format instead of detecting it")
          ->type_name("FORMAT")
          ->group("Time");
  doc(time_format).man =
      "Supported: `%Y` `%y` `%m` `%d` `%e` `%H` `%I` `%M` `%S` `%p` `%j`, `%b` `%h` `%B` `%a` `%A` (English names), "
      "`%f` (fraction of a second), `%z` (offset), `%Z` (UTC, GMT or Z only), `%s` (epoch seconds), "
      "`%T` `%R` `%D` `%F` `%n` `%t` `%%`; a space matches any run of white space.";
  CLI::Option* tz =
      app.add_option(
             "--tz", a.tz,
             "Zone of timestamps that carry none and of 1d/1w/1mo windows: UTC (default), +01:00, Europe/Berlin")
          ->type_name("ZONE")
          ->group("Time");
  doc(tz).man =
      "A fixed offset like `+01:00` or `UTC+2`, or a zone name like `Europe/Berlin` from the system's "
      "zone database. Timestamps without a zone are read in it, and calendar windows (`--tumbling 1d`, "
      "`1w`, `1mo`) start on its local midnight. A wall time that a daylight-saving change skips is read with "
      "the offset from before the change; one that comes twice, as the first of the two.";
  doc(tz).examples = {"UTC", "+01:00", "-05:00", "Europe/Berlin", "America/New_York"};
  CLI::Option* grace = add_duration(app, "--grace", a.grace,
                                    "Event time: a window closes once a record this much past its end is seen "
                                    "(default 0)\nA record for a closed window is rejected as late; the end "
                                    "of the run says which --grace would have kept them")
                           ->type_name("D")
                           ->group("Time");
  doc(grace).man =
      "Records up to *D* out of order still reach their window. With the default 0, a window closes at the "
      "first record at or after its end. A later record for it is *late*: rejected with reason `late` (see "
      "--rejects; exit status 1), never silently dropped. At the end, stderr says how many were late, the "
      "largest lateness, and the --grace that would have kept them all.";
  CLI::Option* late = add_choice(
      app, "--late", a.late,
      {{"reject", "reject a late record with reason late (the default)"},
       {"correct", "pass it on tagged with its closed window and \"_late\":true, then that window's close again"}},
      "What to do with a record whose window has closed:");
  late->group("Time");
  doc(late).man =
      "With `correct`, `stream-agg` emits a result for the late records of the window alone (a delta, marked "
      "`\"_late\":true`); with `stream-agg --emit-state` into `stream-sink-sqlite --merge`, the stored row then "
      "ends as if the record had come in time. Tumbling and hopping windows only. The end-of-run summary counts "
      "the corrections and names the largest lateness and the --grace that would have kept them.";
  CLI::Option* idle =
      add_duration(app, "--idle", a.idle,
                   "Event time: after D without input, close every open window (later records for them are late)")
          ->type_name("D")
          ->group("Time");
  doc(idle).man =
      "Choose *D* longer than the usual pauses of the input. In processing time, windows close on "
      "the wall clock whether input comes or not.";
  CLI::Option* time_output = add_enum<TimeOutput>(
      app, "--time-output", a.time_output,
      {{{"iso", "RFC 3339 UTC strings (the default)"}, TimeOutput::Iso},
       {{"epoch", "seconds since the epoch", "A number, with a fraction only when needed."}, TimeOutput::Epoch},
       {{"epoch_ms", "milliseconds since the epoch", "A number, with a fraction only when needed."},
        TimeOutput::EpochMs}},
      "How window_start and window_end are written:");
  time_output->type_name("FORMAT")->group("Time");
}

WindowOptions window_options(const WindowArgs& o, const std::vector<std::string>& by, bool control,
                             const WindowOptionNames& names) {
  const std::string step = names.step;
  const WindowKindInfo* chosen = nullptr;
  for (const auto& k : window_kinds()) {
    if (!o.windows.count(k.option)) continue;
    if (chosen) throw UsageError(std::string(chosen->option) + " and " + k.option + " cannot be used together");
    chosen = &k;
  }
  if (!chosen)
    throw UsageError("choose a window: --tumbling SIZE, --hopping SIZE " + step + " STEP, --session GAP or --count N");
  WindowSpec w;
  w.kind = chosen->kind;
  const std::string& arg = o.windows.find(chosen->option)->second;
  std::string why = chosen->read(arg, w);
  if (!why.empty()) throw UsageError(std::string(chosen->option) + ": " + why);  // checked when parsed already
  if (!o.every.empty() && w.kind != WindowKind::Hopping) throw UsageError(step + " needs --hopping");
  if (o.slide && w.kind != WindowKind::Count) throw UsageError("--slide needs --count");
  const TimeZone zone = zone_arg(o.tz);
  switch (w.kind) {
    case WindowKind::Tumbling:
      set_tumbling_size(w, arg, zone);
      break;
    case WindowKind::Hopping:
      w.size = fixed_window_size_arg("--hopping", arg, zone);
      if (o.every.empty()) throw UsageError("--hopping needs " + step + " STEP");
      w.every = fixed_window_size_arg(step, o.every, zone);
      if (std::string why = check_hopping(w.size, w.every); !why.empty()) throw UsageError(with_step(why, step));
      break;
    case WindowKind::Session:
      w.gap = fixed_window_size_arg("--session", arg, TimeZone());
      break;
    case WindowKind::Count:
      w.every = o.slide.value_or(w.size);
      if (w.every > w.size) throw UsageError("--slide must be at most --count");
      for (const auto& [name, given] : {std::pair{"--time", !o.time.empty()},
                                        {"--grace", o.grace.has_value()},
                                        {"--idle", o.idle.has_value()},
                                        {"--tz", !o.tz.empty()}})
        if (given) throw UsageError(std::string(name) + " does not apply to --count windows");
      break;
  }
  // Without --time, --tz still places calendar windows (local days of the wall clock).
  if (o.time.empty() && !o.tz.empty() &&
      (w.kind != WindowKind::Tumbling || parse_window_size(arg)->unit == CalendarUnit::None))
    throw UsageError("--tz needs --time FIELD, or a calendar window (--tumbling 1d, 1w, 1mo)");
  // Tumbling and hopping windows are the same for every key: a --by there
  // would change nothing, so say so rather than ignore it.
  if (names.by_is_window_key && !by.empty() && (w.kind == WindowKind::Tumbling || w.kind == WindowKind::Hopping))
    throw UsageError(
        "--by applies to --session and --count windows; tumbling and hopping windows are the same "
        "for every key (group by key with stream-agg --by)");
  WindowOptions wo;
  wo.spec = w;
  wo.grace = o.grace.value_or(0);
  wo.time_output = o.time_output;
  wo.control = control;
  wo.max_buffer = o.max_buffer;
  wo.correct_late = o.late == "correct";
  if (wo.correct_late && wo.spec.kind != WindowKind::Tumbling && wo.spec.kind != WindowKind::Hopping)
    throw UsageError(
        "--late correct: for tumbling and hopping windows (a late record of a session or count "
        "window has no closed window of its own)");
  return wo;
}

TimeParser window_time_parser(const WindowArgs& o) {
  if (o.time.empty() && !o.time_format.empty()) throw UsageError("--time-format needs --time FIELD");
  if (!o.time_format.empty()) {
    std::string why = check_strftime_format(o.time_format);
    if (!why.empty()) throw UsageError("--time-format: " + why);
  }
  TimeParser p(zone_arg(o.tz), o.time_format);
  p.set_clock(clock_ns(CLOCK_REALTIME));
  return p;
}

WindowHandler::WindowHandler(std::string time_field, const std::vector<std::string>& by, TimeParser parser,
                             WindowEngine& engine, int64_t idle_ns, const std::vector<ExtraField>& extra)
    : time_field_(std::move(time_field)),
      parser_(std::move(parser)),
      engine_(engine),
      progress_(time_field_.empty() && engine.uses_time(), idle_ns, engine),
      names_(wanted(time_field_, by, extra)),
      own_fields_(wanted(time_field_, by, {}).size()),
      fields_(names_) {
  const auto& names = names_;
  // What each field is read for: a time needs its value, a key its text, an
  // extra field what the caller says.
  std::vector<bool> value(names.size()), text(names.size());
  if (!time_field_.empty()) value[time_slot_] = true;
  for (const auto& b : by) text[slot(b)] = true;
  for (const auto& e : extra) {
    if (e.name == time_field_ && e.value) time_value_kept_ = true;
    value[slot(e.name)] = value[slot(e.name)] || e.value;
    text[slot(e.name)] = text[slot(e.name)] || e.text;
  }
  for (size_t i = 0; i < names.size(); ++i) {
    if (!value[i]) fields_.set_key_only(i);
    if (!text[i]) fields_.set_value_only(i);
  }
  for (const auto& b : by) {
    key_slots_.push_back(size_t(std::find(names.begin(), names.end(), b) - names.begin()));
    std::string p;
    append_json_string(p, b);
    p.push_back(':');
    key_prefix_.push_back(std::move(p));
  }
}

size_t WindowHandler::slot(std::string_view name) const {
  return size_t(std::find(names_.begin(), names_.end(), name) - names_.begin());
}

std::string WindowHandler::read(const Line&, simdjson::ondemand::document& doc) {
  if (progress_.processing_time()) time_ = clock_ns(CLOCK_REALTIME);
  if (own_fields_ == 0) {
    // Nothing of ours to read, but the line must be an object (the reason
    // stream-window gives, whatever the caller reads).
    simdjson::ondemand::json_type t;
    if (auto e = doc.type().get(t)) return json_error_message(e);
    if (t != simdjson::ondemand::json_type::object) return "not a JSON object";
    if (names_.empty()) return {};
  }
  return take_fields(fields_.read(doc));
}

std::string WindowHandler::read(const Line&, simdjson::dom::element el) {
  if (progress_.processing_time()) time_ = clock_ns(CLOCK_REALTIME);
  if (own_fields_ == 0) {
    if (!el.is_object()) return "not a JSON object";
    if (names_.empty()) return {};
  }
  return take_fields(fields_.read(el));
}

// Everything apply() needs is copied out here (time_, key_): the document
// may end before apply().
std::string WindowHandler::take_fields(std::string err) {
  if (!err.empty()) return err;
  if (!time_field_.empty()) {
    const Value& v = fields_.value(time_slot_);
    std::optional<int64_t> parsed;
    switch (v.kind) {
      case Value::Kind::String:
        parsed = parser_.parse(v.s);
        break;
      case Value::Kind::Int:
        parsed = parser_.parse(v.i);
        break;
      case Value::Kind::Double:
        parsed = parser_.parse(v.d);
        break;
      default:
        break;
    }
    if (!parsed) return time_error(v);
    time_ = *parsed;
    if (!time_value_kept_) fields_.drop_value(time_slot_);  // parsed: nothing to keep of it
  }
  if (key_slots_.empty()) return {};
  key_.clear();
  for (size_t i = 0; i < key_slots_.size(); ++i) {
    if (i) key_.push_back(',');
    key_.append(key_prefix_[i]);
    size_t s = key_slots_[i];
    key_.append(fields_.present(s) ? fields_.text(s) : "null");  // a missing key field is a key of its own
  }
  return {};
}

std::string WindowHandler::time_error(const Value& v) const {
  if (v.kind == Value::Kind::Missing) return "missing time field '" + time_field_ + "'";
  if (v.kind == Value::Kind::String)
    return "time field '" + time_field_ + "': cannot read \"" + std::string(v.s) + "\" as a time";
  std::string text;
  append_value(text, v);
  return "time field '" + time_field_ + "': cannot read " + text + " as a time";
}

std::string WindowHandler::apply(const Line& line) {
  std::string r = engine_.add(line.text, time_, key_);
  if (!pending_.empty() && engine_.closes() != checked_closes_) release();
  return r;
}

std::string WindowHandler::time_json(std::optional<int64_t> t) {
  std::string j;
  if (t) {
    j.push_back('"');
    append_rfc3339(j, *t);
    j.push_back('"');
  }
  return j;
}

bool WindowHandler::checkpoint(const Line&, const control::Record& r) {
  control::Checkpoint cp;
  if (!control::read_checkpoint(r, cp).empty()) return true;  // not one we can read: passed on as it is
  if (engine_.records() == 0 && pending_.empty() && !time_field_.empty() && !cp.watermark.empty()) {
    // Resumed (stream-parse --resume writes the stored checkpoint first).
    auto time_of = [](std::string_view json) -> std::optional<int64_t> {
      if (json.size() < 2 || json.front() != '"') return std::nullopt;
      return parse_rfc3339(json.substr(1, json.size() - 2));
    };
    std::optional<int64_t> final_w = time_of(cp.watermark);
    std::optional<int64_t> replay_w = time_of(cp.replay_watermark.empty() ? cp.watermark : cp.replay_watermark);
    if (final_w && replay_w) engine_.resume(*replay_w, *final_w);
  }
  if (!to_) return false;
  // One waiting for the same windows as this one, of the same source: this
  // one is enough (a long window, or none, keeps few checkpoints).
  if (!pending_.empty() && pending_.back().cp.source == cp.source && engine_.last_first() <= pending_.back().after)
    pending_.pop_back();
  pending_.push_back({std::move(cp), engine_.records(), time_json(engine_.watermark())});
  release();
  return false;
}

void WindowHandler::release() {
  checked_closes_ = engine_.closes();
  const uint64_t oldest = engine_.oldest_held();
  while (!pending_.empty() && pending_.front().after < oldest) {
    Pending& p = pending_.front();
    p.cp.watermark = time_json(engine_.final_watermark());
    p.cp.replay_watermark = p.replay;
    to_(p.cp);
    pending_.pop_front();
  }
}

void WindowHandler::finish(bool) {
  // What is still open is provisional: only the checkpoints from before its
  // oldest record go on; a next run reads those windows again, whole.
  if (!pending_.empty()) release();
  pending_.clear();
  engine_.close_all();
  if (diag_ && engine_.replayed()) {
    diag_->warn(std::to_string(engine_.replayed()) +
                " records read again after the checkpoint were skipped: their windows were final and stored "
                "before it");
  }
  if (!diag_) return;
  for (size_t i = 0; i < own_fields_; ++i) {  // the extra fields are the caller's
    std::string w = fields_.never_found_warning(i, names_[i]);
    if (!w.empty()) diag_->warn(w);
  }
}

int WindowHandler::timeout_ms() {
  if (!progress_.active()) return -1;
  int t = progress_.tick(clock_ns(CLOCK_MONOTONIC), clock_ns(CLOCK_REALTIME));
  if (!pending_.empty() && engine_.closes() != checked_closes_) release();  // closed by --idle
  return t;
}

}  // namespace su
