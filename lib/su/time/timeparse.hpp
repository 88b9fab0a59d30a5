// Event time (CONTRACT section 4): recognising timestamps (RFC 3339 / ISO 8601,
// epoch seconds/ms/us/ns, Common Log Format, syslog, any strftime format) and
// writing instants back as RFC 3339. An instant is int64 nanoseconds since the
// Unix epoch, UTC. Zones and the calendar are in zone.hpp.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "su/time/zone.hpp"

namespace su {

inline constexpr int64_t kNsPerSec = 1'000'000'000;

// A wall time read from text, before the zone is applied.
struct CivilTime {
  int64_t year = 1970;
  int month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int64_t nanos = 0;
  bool has_offset = false;
  int offset_s = 0;  // east of UTC
};
// utc_s seconds and nanos (0 to 999999999) as an instant into out; false
// beyond int64 nanoseconds (years ~1677-2262). Every parser ends here.
bool utc_to_instant(int64_t utc_s, int64_t nanos, int64_t& out);
// Checks the fields (month 1-12, day within the month, leap years, ...) and
// converts to an instant; nullopt when a field is out of range.
std::optional<int64_t> to_instant(const CivilTime& c, const TimeZone& tz);

// One parser per format; each reads the whole text or fails.
std::optional<int64_t> parse_rfc3339(std::string_view s, const TimeZone& tz = {});
// Epoch numbers told apart by magnitude: |v| < 1e11 seconds, < 1e14
// milliseconds, < 1e17 microseconds, else nanoseconds.
std::optional<int64_t> epoch_to_instant(int64_t v);
std::optional<int64_t> epoch_to_instant(double v);
std::optional<int64_t> parse_epoch_text(std::string_view s);
std::optional<int64_t> parse_clf(std::string_view s, const TimeZone& tz = {});
// Syslog `Nov 21 10:00:00` has no year. With a wall-clock reference, the year
// is the latest one that does not put the time more than a day after the
// reference (logs do not come from the future: a December line read in
// January is last year's); with a reference taken from the previous record,
// the year that puts it closest to that record (a log crossing New Year).
std::optional<int64_t> parse_syslog(std::string_view s, int64_t reference_ns, bool reference_is_clock,
                                    const TimeZone& tz = {});
// strptime-like: %Y %m %d %e %H %I %M %S %f (fraction) %y %b %h %B %a %A %j %p
// %z %Z %s %T %D %F %R %% %n %t; a space in the format matches any run of
// white space (or none). Fields left out default to 1970-01-01 00:00:00.
std::optional<int64_t> parse_strftime(std::string_view s, std::string_view format, const TimeZone& tz = {});
// Empty when the format is usable, else why not (for a usage error).
std::string check_strftime_format(std::string_view format);

enum class TimeFormat : uint8_t { None, Epoch, Rfc3339, Clf, Syslog, Strftime };
const char* time_format_name(TimeFormat f);

// The formats TimeParser recognises by itself, in the order it tries them:
// the one list behind detection, --help and the docs.
struct DetectedTimeFormat {
  TimeFormat format;
  const char* name;     // "RFC 3339 / ISO 8601"
  const char* example;  // "2026-11-21T10:00:00.123Z"
};
const std::vector<DetectedTimeFormat>& detected_time_formats();

// Reads one time field, record after record: detects the format on the first
// value, caches it, and detects again when a value does not fit the cached
// one. With a strftime format, only that format is used.
class TimeParser {
 public:
  explicit TimeParser(TimeZone tz = {}, std::string strftime = {});
  std::optional<int64_t> parse(std::string_view text) {
    int64_t t;
    if (cached_ == TimeFormat::Rfc3339 && same_minute_rfc3339(text, t)) return t;  // the usual case
    return parse_any(text);
  }
  std::optional<int64_t> parse(int64_t number) { return epoch_to_instant(number); }
  std::optional<int64_t> parse(double number) { return epoch_to_instant(number); }
  TimeFormat detected() const { return cached_; }
  // Wall clock used to infer the year of the first syslog timestamp.
  void set_clock(int64_t now_ns) {
    syslog_ref_ = now_ns;
    syslog_ref_is_clock_ = true;
  }

 private:
  std::optional<int64_t> parse_as(TimeFormat f, std::string_view text);
  std::optional<int64_t> parse_any(std::string_view text);
  std::optional<int64_t> parse_rfc3339_cached(std::string_view text);
  // ":SS.fff...Z" after the cached minute; false for anything else (a plain
  // bool: an optional returned through memory stalls on store forwarding).
  bool same_minute_rfc3339(std::string_view text, int64_t& out) const;
  TimeZone tz_;
  std::string strftime_;
  TimeFormat cached_ = TimeFormat::None;
  int64_t syslog_ref_ = 0;
  bool syslog_ref_is_clock_ = true;
  char minute_head_[16] = {};  // "2026-11-21T10:00" of the last RFC 3339 time
  int64_t head_local_s_ = 0;
  bool head_valid_ = false;
};

// RFC 3339 UTC text: 2026-11-21T10:01:00Z, with .123, .123456 or .123456789
// only when the instant has a fraction.
void append_rfc3339(std::string& out, int64_t ns);
std::string format_rfc3339(int64_t ns);

enum class TimeOutput : uint8_t { Iso, Epoch, EpochMs };
// An instant as a JSON value: a quoted RFC 3339 string, or a number of
// seconds or milliseconds (an integer when whole, else a decimal fraction).
void append_time_value(std::string& out, int64_t ns, TimeOutput how);

}  // namespace su
