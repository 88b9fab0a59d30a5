// Calendar, time zones through cctz, calendar periods (see zone.hpp).
#include "su/time/zone.hpp"

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>

#include <algorithm>
#include <string>

#include "su/core/calendar.hpp"

namespace su {

bool is_leap_year(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int64_t y, int m) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && is_leap_year(y)) ? 29 : days[m - 1];
}

int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = floor_div(y, 400);
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int64_t& y, int& m, int& d) {
  z += 719468;
  const int64_t era = floor_div(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  d = int(doy - (153 * mp + 2) / 5 + 1);
  m = int(mp < 10 ? mp + 3 : mp - 9);
  y = yoe + era * 400 + (m <= 2);
}

struct TimeZone::Zone {
  cctz::time_zone tz;
};

namespace {

using Seconds = cctz::time_point<cctz::seconds>;
Seconds instant(int64_t s) {
  return Seconds(cctz::seconds(s));
}
int64_t seconds_of(const Seconds& t) {
  return int64_t(t.time_since_epoch().count());
}
// Local wall times as seconds counted as if they were UTC.
const cctz::civil_second kEpoch(1970, 1, 1, 0, 0, 0);
int64_t local_seconds(const cctz::civil_second& c) {
  return int64_t(c - kEpoch);
}
cctz::civil_second civil(int64_t local_s) {
  return kEpoch + local_s;
}

bool digit(char c) {
  return c >= '0' && c <= '9';
}

// ±H, ±HH, ±HHMM, ±HH:MM -> seconds east of UTC.
std::optional<int> parse_offset(std::string_view s) {
  if (s.size() < 2 || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  const int sign = s[0] == '-' ? -1 : 1;
  s.remove_prefix(1);
  if (s.size() == 1 && digit(s[0])) return sign * (s[0] - '0') * 3600;  // UTC+2
  if (s.size() < 2 || !digit(s[0]) || !digit(s[1])) return std::nullopt;
  int h = (s[0] - '0') * 10 + (s[1] - '0'), m = 0;
  s.remove_prefix(2);
  if (!s.empty() && s[0] == ':') s.remove_prefix(1);
  if (!s.empty()) {
    if (s.size() != 2 || !digit(s[0]) || !digit(s[1])) return std::nullopt;
    m = (s[0] - '0') * 10 + (s[1] - '0');
  }
  if (h > 23 || m > 59) return std::nullopt;
  return sign * (h * 3600 + m * 60);
}

int64_t to_ns(int64_t s) {
  int64_t ns;
  if (__builtin_mul_overflow(s, int64_t(1'000'000'000), &ns)) return s < 0 ? INT64_MIN : INT64_MAX;
  return ns;
}

}  // namespace

std::optional<TimeZone> TimeZone::parse(std::string_view name) {
  TimeZone tz;
  if (name.empty() || name == "UTC" || name == "utc" || name == "Z" || name == "GMT") return tz;
  std::string_view off = name;
  if (off.substr(0, 3) == "UTC" || off.substr(0, 3) == "GMT") off.remove_prefix(3);
  if (!off.empty() && (off[0] == '+' || off[0] == '-')) {
    auto secs = parse_offset(off);
    if (!secs) return std::nullopt;
    tz.fixed_offset_s_ = *secs;
    return tz;
  }
  // An IANA name from the zone database ($TZDIR or /usr/share/zoneinfo):
  // a name, never a path out of it.
  if (name.find("..") != std::string_view::npos || name.front() == '/') return std::nullopt;
  auto zone = std::make_shared<Zone>();
  if (!cctz::load_time_zone(std::string(name), &zone->tz)) return std::nullopt;
  tz.zone_ = std::move(zone);
  return tz;
}

// A change of offset at UTC instant T from offset a to offset b is, in
// wall times, a jump from T + a (cctz's `from`) to T + b (`to`). A wall time
// reads with the offset b from max(from, to) of that change on (before it, a
// skipped or repeated wall time reads with a, see local_to_utc), up to
// max(from, to) of the next change: that span is cached.
int64_t TimeZone::local_to_utc_slow(int64_t local_s) const {
  const cctz::time_zone& z = zone_->tz;
  const cctz::time_zone::civil_lookup found = z.lookup(civil(local_s));
  const int64_t utc = seconds_of(found.pre);
  if (found.kind != cctz::time_zone::civil_lookup::UNIQUE) return utc;  // at a change: not cached
  int64_t lo = INT64_MIN, hi = INT64_MAX;
  cctz::time_zone::civil_transition change;
  if (z.prev_transition(instant(utc + 1), &change))  // the last change at or before utc
    lo = std::max(local_seconds(change.from), local_seconds(change.to));
  if (z.next_transition(instant(utc), &change)) hi = std::max(local_seconds(change.from), local_seconds(change.to));
  if (lo <= local_s && local_s < hi) local_lo_ = lo, local_hi_ = hi, local_off_ = local_s - utc;
  return utc;
}

int64_t TimeZone::utc_offset_slow(int64_t utc_s) const {
  const cctz::time_zone& z = zone_->tz;
  const int64_t off = z.lookup(instant(utc_s)).offset;
  int64_t lo = INT64_MIN, hi = INT64_MAX;
  cctz::time_zone::civil_transition change;
  // The change to this offset (its `to` is in this offset), and the next one
  // (its `from` is in this offset).
  if (z.prev_transition(instant(utc_s + 1), &change)) lo = local_seconds(change.to) - off;
  if (z.next_transition(instant(utc_s), &change)) hi = local_seconds(change.from) - off;
  if (lo <= utc_s && utc_s < hi) utc_lo_ = lo, utc_hi_ = hi, utc_off_ = off;
  return off;
}

int64_t local_day_start(int64_t day, const TimeZone& tz) {
  int64_t local;
  if (__builtin_mul_overflow(day, int64_t(86400), &local)) return day < 0 ? INT64_MIN : INT64_MAX;
  return to_ns(tz.local_to_utc(local));
}

namespace {
// The local days [first, end) of the period of n units that holds local day `day`.
void period_days(int64_t day, CalendarUnit unit, int64_t n, int64_t& first, int64_t& end) {
  switch (unit) {
    case CalendarUnit::None:
    case CalendarUnit::Day:
      first = floor_div(day, n) * n;
      end = first + n;
      return;
    case CalendarUnit::Week: {
      constexpr int64_t kMonday = -3;  // 1969-12-29, the Monday of the epoch's week
      const int64_t week = floor_div(day - kMonday, 7);
      first = floor_div(week, n) * n * 7 + kMonday;
      end = first + n * 7;
      return;
    }
    case CalendarUnit::Month: {
      int64_t y;
      int m, d;
      civil_from_days(day, y, m, d);
      const int64_t month = (y - 1970) * 12 + (m - 1);  // months since January 1970
      const int64_t g = floor_div(month, n) * n;
      first = days_from_civil(1970 + floor_div(g, 12), int(g - floor_div(g, 12) * 12) + 1, 1);
      const int64_t h = g + n;
      end = days_from_civil(1970 + floor_div(h, 12), int(h - floor_div(h, 12) * 12) + 1, 1);
      return;
    }
  }
}
}  // namespace

CalendarPeriod calendar_period(int64_t t, CalendarUnit unit, int64_t n, const TimeZone& tz) {
  const int64_t s = floor_div(t, 1'000'000'000);
  int64_t first, end;
  period_days(floor_div(s + tz.utc_offset(s), 86400), unit, n, first, end);
  CalendarPeriod p{local_day_start(first, tz), local_day_start(end, tz)};
  // The local date of t names its period, except where a change moves
  // midnight itself (a zone that falls back from 00:00 to 23:00: the
  // repeated hour belongs to the new day, which starts at the first
  // midnight). Step to the neighbour then.
  for (int i = 0; i < 2 && t < p.start; ++i) {
    period_days(first - 1, unit, n, first, end);
    p = {local_day_start(first, tz), local_day_start(end, tz)};
  }
  for (int i = 0; i < 2 && t >= p.end; ++i) {
    period_days(end, unit, n, first, end);
    p = {local_day_start(first, tz), local_day_start(end, tz)};
  }
  return p;
}

}  // namespace su
