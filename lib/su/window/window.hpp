// Window assigners (CONTRACT section 4): which windows a record belongs to.
// Time windows are aligned to the Unix epoch in UTC and half-open
// [start, end), except calendar tumbling windows (1d, 1w, 1mo), aligned on
// local midnight of a zone; count windows are numbered from 1 per key.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "su/time/zone.hpp"

namespace su {

enum class WindowKind : uint8_t { Tumbling, Hopping, Session, Count };

struct WindowSpec {
  WindowKind kind = WindowKind::Tumbling;
  int64_t size = 0;   // tumbling, hopping: window length in ns; count: records per window
  int64_t every = 0;  // hopping: ns between window starts; count: records between window ends (slide)
  int64_t gap = 0;    // session: ns without a record of the key that ends its session
  // tumbling: size counts these days, weeks or months of `zone` (None: size is ns)
  CalendarUnit calendar = CalendarUnit::None;
  TimeZone zone;
  bool uses_time() const { return kind != WindowKind::Count; }
};

// The window kinds: one row each drives stream-window's option for it, its
// --help and docs, and the reading of its value into the spec.
struct WindowKindInfo {
  WindowKind kind;
  const char* option;      // "--tumbling"
  const char* value_name;  // "SIZE"
  const char* help;        // one line, for --help and the completions
  const char* doc;         // what the man page adds (`x`: literal, in bold; *x*: a placeholder)
  // Reads the option's value into the spec (the size of tumbling and
  // hopping windows, the gap of sessions, the records of count windows).
  // Returns "" or the reason the value is not one, for a usage error that
  // names the option. The one place a window's size is read.
  std::string (*read)(std::string_view value, WindowSpec& spec);
};
const std::vector<WindowKindInfo>& window_kinds();
// The row of that option ("--tumbling"), or nullptr.
const WindowKindInfo* find_window_kind(std::string_view option);

struct TimeWindow {
  int64_t start = 0, end = 0;
  bool operator==(const TimeWindow&) const = default;
};

// Window arithmetic is exact: a window that does not fit in int64
// nanoseconds (it would start before ~1677 or end after ~2262) is no window,
// and the assigners say so (nullopt, false) rather than wrap around.

// The tumbling window of length size that holds t, or nullopt when it does
// not fit.
std::optional<TimeWindow> tumbling_window(int64_t t, int64_t size);
// The calendar window of spec.size days, weeks or months of spec.zone that
// holds t (see su::calendar_period).
TimeWindow calendar_window(int64_t t, const WindowSpec& spec);

// A window size as written. `Nd`, `Nw` and `Nmo` alone (a whole number of
// days, weeks from Monday, months from the 1st) are calendar sizes; any
// other duration (250ms, 90m, 24h, 1d12h) is a fixed length in ns.
struct WindowSize {
  int64_t ns = 0;
  CalendarUnit unit = CalendarUnit::None;
  int64_t count = 0;  // calendar units
};
std::optional<WindowSize> parse_window_size(std::string_view s);
// --tumbling SIZE into spec.size (and spec.calendar, spec.zone): a calendar
// size follows the zone, except days of UTC, which are the same as fixed
// lengths and are made so. Throws UsageError for a bad size, or a size in
// days that is not whole days (1d12h) with a zone other than UTC.
void set_tumbling_size(WindowSpec& spec, std::string_view s, const TimeZone& zone);
// --hopping SIZE, --every STEP (aligned on the epoch in UTC), --session GAP
// (zone: UTC): fixed lengths. Throws UsageError for weeks and months, and
// for days with a zone other than UTC (hopping windows cannot follow local
// midnight).
int64_t fixed_window_size_arg(std::string_view option, std::string_view s, const TimeZone& zone);

// The most hopping windows one record may fall in (--hopping SIZE / --every
// STEP): a usage error beyond it, as every record is written once per window.
inline constexpr int64_t kMostHops = 10'000;
// Empty, or why --hopping size --every every is refused (step 0, step
// longer than the size, more than kMostHops windows per record).
std::string check_hopping(int64_t size, int64_t every);

// Every hopping window [k*every, k*every + size) that holds t, oldest first
// (size / every windows when every divides size). 0 < every <= size.
// False (and `out` empty) when one of them does not fit.
bool hopping_windows(int64_t t, int64_t size, int64_t every, std::vector<TimeWindow>& out);

// Count windows of one key: window k ends at its (k*slide)-th record and
// holds the last `size` records up to it (fewer at the start). slide <= size;
// slide == size gives tumbling count windows.
struct CountRange {
  int64_t first = 0, last = 0;  // windows holding the record, inclusive
};
// The windows that hold the n-th record (1-based) of a key.
CountRange count_windows(uint64_t n, int64_t size, int64_t slide);
// The window that is complete once the n-th record arrived, or 0.
inline int64_t count_window_closing(uint64_t n, int64_t slide) {
  return n % uint64_t(slide) == 0 ? int64_t(n / uint64_t(slide)) : 0;
}

// Sessions of one key: a record at t opens [t, t + gap) or joins every open
// session it overlaps (t + gap > start and t < end); joined sessions merge.
// Returns the merged session; `merged` gets the indexes (into `open`, in
// increasing order) of the sessions it joined. nullopt (nothing joined)
// when t + gap does not fit.
std::optional<TimeWindow> session_join(const std::vector<TimeWindow>& open, int64_t t, int64_t gap,
                                       std::vector<size_t>& merged);

}  // namespace su
