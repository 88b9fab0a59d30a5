// Civil time and time zones: the proleptic Gregorian calendar (day numbers),
// zones (UTC, fixed offsets, IANA names read from the system's zone database
// through cctz: any number of zones in one process, no TZ environment) and
// calendar periods of a zone (local days, weeks from Monday, months from the
// 1st) for calendar windows (CONTRACT section 4, --tz).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

namespace su {

// Proleptic Gregorian calendar (H. Hinnant's algorithms); days count from
// 1970-01-01 (day 0).
bool is_leap_year(int64_t y);
int days_in_month(int64_t y, int m);
int64_t days_from_civil(int64_t y, int m, int d);
void civil_from_days(int64_t days, int64_t& y, int& m, int& d);

// A time zone: UTC (the default), a fixed offset (+01:00, -0530, UTC+2) or an
// IANA name (Europe/Berlin) with its daylight-saving changes. A value: copy it
// freely; each copy keeps its own cache of the last offset it looked up, so
// the same zone in the same season costs two comparisons.
class TimeZone {
 public:
  TimeZone() = default;  // UTC
  // UTC, Z, GMT, an offset or a zone name; nullopt when unknown.
  static std::optional<TimeZone> parse(std::string_view name);

  // Seconds of a local wall time counted as if it were UTC -> UTC seconds.
  // A wall time that a change skipped (02:30 on a spring-forward night) is
  // read with the offset from before the change (so it is 03:30 of the new
  // offset); one that came twice (fall back) is read as the first of the two.
  int64_t local_to_utc(int64_t local_s) const {
    if (!zone_) return local_s - fixed_offset_s_;
    if (local_s >= local_lo_ && local_s < local_hi_) return local_s - local_off_;
    return local_to_utc_slow(local_s);
  }
  // Seconds east of UTC at the instant utc_s (UTC seconds).
  int64_t utc_offset(int64_t utc_s) const {
    if (!zone_) return fixed_offset_s_;
    if (utc_s >= utc_lo_ && utc_s < utc_hi_) return utc_off_;
    return utc_offset_slow(utc_s);
  }
  bool named() const { return zone_ != nullptr; }
  // UTC itself or an offset of zero: local days are UTC days.
  bool is_utc() const { return !zone_ && fixed_offset_s_ == 0; }

 private:
  struct Zone;  // the cctz zone
  int64_t local_to_utc_slow(int64_t local_s) const;
  int64_t utc_offset_slow(int64_t utc_s) const;

  std::shared_ptr<const Zone> zone_;  // null: a fixed offset
  int64_t fixed_offset_s_ = 0;
  // The last offset looked up, and the span (local or UTC seconds,
  // half-open) over which it holds; empty spans to begin with.
  mutable int64_t local_lo_ = 1, local_hi_ = 0, local_off_ = 0;
  mutable int64_t utc_lo_ = 1, utc_hi_ = 0, utc_off_ = 0;
};

// Calendar units of window sizes: `1d`, `1w`, `1mo`.
enum class CalendarUnit : uint8_t { None, Day, Week, Month };

// The UTC instant (ns, saturated at the int64 range) of local midnight
// starting local day `day` (days since 1970-01-01 in the zone's calendar).
// Where a change skips midnight, the day starts when the change happens.
int64_t local_day_start(int64_t day, const TimeZone& tz);

struct CalendarPeriod {
  int64_t start = 0, end = 0;  // UTC ns, half-open [start, end)
};
// The period of n days, weeks or months of the zone that holds the instant t
// (ns): days start at local midnight, weeks on Monday at local midnight,
// months on the 1st at local midnight, so a day lasts 23 or 25 hours across
// a daylight-saving change. Multiples count from the epoch's local calendar:
// n days from 1970-01-01, n weeks from Monday 1969-12-29, n months from
// January 1970 (3 months are quarters, 12 are years). n >= 1.
CalendarPeriod calendar_period(int64_t t, CalendarUnit unit, int64_t n, const TimeZone& tz);

}  // namespace su
