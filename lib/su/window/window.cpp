// Window assigners: tumbling, hopping, count and session windows.
#include "su/window/window.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include "su/core/calendar.hpp"
#include "su/core/error.hpp"
#include "su/core/units.hpp"
#include "su/time/checked.hpp"

namespace su {

namespace {

std::string read_time(std::string_view value, int64_t& out, const char* what) {
  auto d = parse_duration(value);
  if (!d) return invalid_duration(value);
  if (*d <= 0) return std::string(what) + " must be more than 0";
  out = *d;
  return {};
}

// The length of a tumbling or hopping window: a duration, or a calendar size
// (Nd, Nw, Nmo), which stream-window then places in its --tz zone
// (set_tumbling_size, fixed_window_size_arg).
std::string read_window_size(std::string_view value, WindowSpec& w) {
  auto size = parse_window_size(value);
  if (!size) return "invalid size '" + std::string(value) + "' (expected e.g. 250ms, 30s, 5m, 1h30m, 1d, 1w, 1mo)";
  if (size->unit == CalendarUnit::None) return read_time(value, w.size, "the window size");
  if (size->count <= 0) return "the window size must be more than 0";
  return {};
}

std::string read_session_gap(std::string_view value, WindowSpec& w) {
  auto size = parse_window_size(value);
  if (size && (size->unit == CalendarUnit::Week || size->unit == CalendarUnit::Month)) {
    std::string why(1, '\'');  // built by appends: GCC 12 warns falsely (-Wrestrict) on "'" + std::string
    why.append(value);
    why.append("': weeks and months are calendar sizes, for --tumbling only");
    return why;
  }
  return read_time(value, w.gap, "the gap");
}

std::string read_record_count(std::string_view value, WindowSpec& w) {
  auto n = parse_count(value);
  if (!n) return invalid_count(value, "records");
  w.size = *n;
  return {};
}

}  // namespace

const std::vector<WindowKindInfo>& window_kinds() {
  static const std::vector<WindowKindInfo> kinds = {
      {WindowKind::Tumbling, "--tumbling", "SIZE",
       "Windows of this length, one after another (e.g. 1m; 1d, 1w, 1mo: local days, weeks, months of --tz)",
       "A duration: `250ms`, `30s`, `5m`, `1h`, or a sum like `1h30m`; or a calendar size: `Nd`, `Nw` (from Monday), "
       "`Nmo` (from the 1st), on local midnight of --tz.",
       read_window_size},
      {WindowKind::Hopping, "--hopping", "SIZE", "Overlapping windows of this length, one starting --every STEP",
       "A record is written once for each window that covers it.", read_window_size},
      {WindowKind::Session, "--session", "GAP", "A key's session ends after this gap without its records",
       "Sessions are kept per key with --by; their records are held until the session closes.", read_session_gap},
      {WindowKind::Count, "--count", "N", "Windows of N records (per key with --by), one ending every --slide M",
       "Count windows do not use time.", read_record_count},
  };
  return kinds;
}

const WindowKindInfo* find_window_kind(std::string_view option) {
  for (const auto& k : window_kinds())
    if (option == k.option) return &k;
  return nullptr;
}

std::optional<TimeWindow> tumbling_window(int64_t t, int64_t size) {
  TimeWindow w;
  if (!checked_mul(floor_div(t, size), size, w.start) || !checked_add(w.start, size, w.end)) return std::nullopt;
  return w;
}

std::string check_hopping(int64_t size, int64_t every) {
  if (every <= 0 || every > size) return "--every must be more than 0 and at most the --hopping size";
  if (size / every > kMostHops) {
    std::string why = "--hopping ";
    why.append(format_duration(size));
    why.append(" --every ");
    why.append(format_duration(every));
    why.append(" puts each record in ");
    why.append(std::to_string(size / every));
    why.append(" windows; at most ");
    why.append(std::to_string(kMostHops));
    why.append(" (a longer --every, or a shorter --hopping size)");
    return why;
  }
  return {};
}

bool hopping_windows(int64_t t, int64_t size, int64_t every, std::vector<TimeWindow>& out) {
  out.clear();
  // Starts k*every with t - size < k*every <= t: k from floor((t - size) /
  // every) + 1 to floor(t / every), computed without forming t - size.
  const int64_t last = floor_div(t, every);
  // t - size = every*(qt - qs) + (rt - rs), with t = qt*every + rt, size = qs*every + rs.
  const int64_t qs = size / every, rs = size % every;
  const int64_t rt = t % every < 0 ? t % every + every : t % every;
  // first = last - qs + c with c = floor((rt - rs) / every) + 1, 0 or 1: one
  // subtraction, which overflows only when the first window does not fit.
  int64_t first;
  if (!checked_sub(last, qs - (floor_div(rt - rs, every) + 1), first)) return false;
  // Starts grow with k: when the first start and the last end fit, all do.
  int64_t first_start, last_start, last_end;
  if (!checked_mul(first, every, first_start) || !checked_mul(last, every, last_start) ||
      !checked_add(last_start, size, last_end))
    return false;
  for (int64_t start = first_start;; start += every) {
    out.push_back({start, start + size});
    if (start == last_start) break;
  }
  return true;
}

CountRange count_windows(uint64_t n, int64_t size, int64_t slide) {
  // Window k holds records k*slide - size + 1 .. k*slide.
  const uint64_t s = uint64_t(slide);
  CountRange r;
  r.first = int64_t((n + s - 1) / s);
  r.last = int64_t((n - 1 + uint64_t(size)) / s);
  return r;
}

std::optional<TimeWindow> session_join(const std::vector<TimeWindow>& open, int64_t t, int64_t gap,
                                       std::vector<size_t>& merged) {
  merged.clear();
  TimeWindow w{t, 0};
  if (!checked_add(t, gap, w.end)) return std::nullopt;
  const int64_t reach = w.end;
  for (size_t i = 0; i < open.size(); ++i) {
    const TimeWindow& s = open[i];
    if (reach > s.start && t < s.end) {
      merged.push_back(i);
      w.start = std::min(w.start, s.start);
      w.end = std::max(w.end, s.end);
    }
  }
  return w;
}

// ---- calendar windows and window sizes ----

TimeWindow calendar_window(int64_t t, const WindowSpec& spec) {
  const CalendarPeriod p = calendar_period(t, spec.calendar, spec.size, spec.zone);
  return {p.start, p.end};
}

namespace {
constexpr int64_t kNsPerDay = int64_t(86400) * 1'000'000'000;
constexpr int64_t kMostUnits = 100'000;  // 100000d fits in int64 ns; more is no window

bool mentions_days(std::string_view s) {
  return s.find('d') != std::string_view::npos;
}
}  // namespace

std::optional<WindowSize> parse_window_size(std::string_view s) {
  size_t digits = 0;
  while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
  const std::string_view unit = s.substr(digits);
  if (digits > 0 && (unit == "d" || unit == "w" || unit == "mo")) {
    WindowSize w;
    auto r = std::from_chars(s.data(), s.data() + digits, w.count);
    if (r.ec != std::errc() || w.count > kMostUnits) return std::nullopt;
    w.unit = unit == "d" ? CalendarUnit::Day : unit == "w" ? CalendarUnit::Week : CalendarUnit::Month;
    return w;
  }
  auto ns = parse_duration(s);
  if (!ns) return std::nullopt;
  WindowSize w;
  w.ns = *ns;
  return w;
}

void set_tumbling_size(WindowSpec& spec, std::string_view s, const TimeZone& zone) {
  auto size = parse_window_size(s);
  if (!size)
    throw UsageError("--tumbling: invalid size '" + std::string(s) +
                     "' (expected e.g. 250ms, 30s, 5m, 1h30m, 1d, 1w, 1mo)");
  spec.calendar = CalendarUnit::None;
  if (size->unit == CalendarUnit::None) {
    if (!zone.is_utc() && mentions_days(s))
      throw UsageError("--tumbling: '" + std::string(s) +
                       "' with --tz: only whole days (1d), weeks (1w) and months (1mo) follow the zone; write the "
                       "size in hours for a fixed length aligned on the epoch in UTC");
    spec.size = size->ns;
  } else if (size->unit == CalendarUnit::Day && zone.is_utc()) {
    spec.size = size->count * kNsPerDay;  // UTC days: fixed lengths from the epoch, the fast path
  } else {
    spec.calendar = size->unit;
    spec.size = size->count;
    spec.zone = zone;
  }
}

int64_t fixed_window_size_arg(std::string_view option, std::string_view s, const TimeZone& zone) {
  auto size = parse_window_size(s);
  if (!size) return duration_arg(option, s);  // throws, naming the option
  const std::string what = std::string(option) + ": '" + std::string(s) + "'";
  if (size->unit == CalendarUnit::Week || size->unit == CalendarUnit::Month)
    throw UsageError(what + ": weeks and months are calendar sizes, for --tumbling only");
  if (!zone.is_utc() && mentions_days(s))
    throw UsageError(what +
                     " with --tz: hopping windows are aligned on the epoch in UTC, not on local midnight "
                     "(write the size in hours, or use --tumbling for local days)");
  return size->unit == CalendarUnit::Day ? size->count * kNsPerDay : size->ns;
}

}  // namespace su
