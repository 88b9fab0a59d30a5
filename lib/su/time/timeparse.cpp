// Timestamp recognition and RFC 3339 formatting (see timeparse.hpp).
#include "su/time/timeparse.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <ctime>

#include "su/core/calendar.hpp"
#include "su/core/value.hpp"
#include "su/time/checked.hpp"

namespace su {
namespace {

constexpr const char* kMonthsLong[] = {"january", "february", "march",     "april",   "may",      "june",
                                       "july",    "august",   "september", "october", "november", "december"};
constexpr const char* kDays[] = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_space(char c) {
  return c == ' ' || c == '\t';
}

// A cursor over the text being parsed.
struct Scan {
  std::string_view s;
  size_t i = 0;
  bool done() const { return i >= s.size(); }
  char peek() const { return i < s.size() ? s[i] : '\0'; }
  bool eat(char c) {
    if (done() || s[i] != c) return false;  // not peek(): a NUL in a format must not match the end
    ++i;
    return true;
  }
  // Exactly n digits.
  bool fixed(int n, int& out) {
    if (i + size_t(n) > s.size()) return false;
    int v = 0;
    for (int k = 0; k < n; ++k) {
      if (!is_digit(s[i + size_t(k)])) return false;
      v = v * 10 + (s[i + size_t(k)] - '0');
    }
    i += size_t(n);
    out = v;
    return true;
  }
  // 1 to n digits.
  bool upto(int n, int& out) {
    int v = 0, k = 0;
    while (k < n && i < s.size() && is_digit(s[i])) v = v * 10 + (s[i++] - '0'), ++k;
    out = v;
    return k > 0;
  }
  // A fraction's digits (after the point): nanoseconds, extra digits dropped.
  bool fraction(int64_t& ns) {
    size_t start = i;
    int64_t v = 0;
    int k = 0;
    while (i < s.size() && is_digit(s[i])) {
      if (k < 9) v = v * 10 + (s[i] - '0'), ++k;
      ++i;
    }
    for (; k < 9; ++k) v *= 10;
    ns = v;
    return i > start;
  }
  // A name from a table, by its full name or its first three letters.
  bool name(const char* const* table, int n, int& out) {
    for (int k = 0; k < n; ++k) {
      std::string_view full = table[k];
      size_t len = 0;
      while (len < full.size() && i + len < s.size() && lower(s[i + len]) == lower(full[len])) ++len;
      if (len == full.size() || len == 3) {
        i += len;
        out = k;
        return true;
      }
    }
    return false;
  }
  void spaces() {
    while (i < s.size() && is_space(s[i])) ++i;
  }
  // Z, ±HH, ±HHMM, ±HH:MM
  bool offset(int& out) {
    char c = peek();
    if (c == 'Z' || c == 'z') {
      ++i;
      out = 0;
      return true;
    }
    if (c != '+' && c != '-') return false;
    ++i;
    int h = 0, m = 0;
    if (!fixed(2, h)) return false;
    if (eat(':')) {
      if (!fixed(2, m)) return false;
    } else if (is_digit(peek())) {
      if (!fixed(2, m)) return false;
    }
    if (h > 23 || m > 59) return false;
    out = (h * 3600 + m * 60) * (c == '-' ? -1 : 1);
    return true;
  }
};

void append_2(std::string& out, int v) {
  out.push_back(char('0' + v / 10));
  out.push_back(char('0' + v % 10));
}

}  // namespace

bool utc_to_instant(int64_t utc_s, int64_t nanos, int64_t& out) {
  // Exactly the instants of int64 nanoseconds, 1677-09-21T00:12:43.145224192Z
  // to 2262-04-11T23:47:16.854775807Z: what the epoch parsers accept too.
  const __int128 ns = __int128(utc_s) * kNsPerSec + nanos;
  if (ns < INT64_MIN || ns > INT64_MAX) return false;
  out = int64_t(ns);
  return true;
}

std::optional<int64_t> to_instant(const CivilTime& c, const TimeZone& tz) {
  if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > days_in_month(c.year, c.month)) return std::nullopt;
  if (c.hour > 23 || c.minute > 59 || c.second > 60 || c.hour < 0 || c.minute < 0 || c.second < 0) return std::nullopt;
  if (c.year < -290000 || c.year > 290000) return std::nullopt;
  int64_t local = days_from_civil(c.year, c.month, c.day) * 86400 + c.hour * 3600 + c.minute * 60 + c.second;
  int64_t utc = c.has_offset ? local - c.offset_s : tz.local_to_utc(local);
  int64_t out;
  if (!utc_to_instant(utc, c.nanos, out)) return std::nullopt;
  return out;
}

std::optional<int64_t> parse_rfc3339(std::string_view s, const TimeZone& tz) {
  Scan sc{s};
  CivilTime c;
  int y = 0;
  if (!sc.fixed(4, y) || !sc.eat('-') || !sc.fixed(2, c.month) || !sc.eat('-') || !sc.fixed(2, c.day))
    return std::nullopt;
  c.year = y;
  if (!sc.done()) {
    char sep = sc.peek();
    if (sep != 'T' && sep != 't' && sep != ' ') return std::nullopt;
    ++sc.i;
    if (!sc.fixed(2, c.hour) || !sc.eat(':') || !sc.fixed(2, c.minute)) return std::nullopt;
    if (sc.eat(':')) {
      if (!sc.fixed(2, c.second)) return std::nullopt;
      if ((sc.eat('.') || sc.eat(',')) && !sc.fraction(c.nanos)) return std::nullopt;
    }
    if (sc.peek() == ' ') ++sc.i;  // "2026-11-21 10:00:00 +0100"
    if (!sc.done()) {
      if (!sc.offset(c.offset_s)) return std::nullopt;
      c.has_offset = true;
    }
  }
  if (!sc.done()) return std::nullopt;
  return to_instant(c, tz);
}

namespace {
// Nanoseconds per unit of an epoch number of this magnitude.
int64_t epoch_scale(double magnitude) {
  return magnitude < 1e11 ? kNsPerSec : magnitude < 1e14 ? 1'000'000 : magnitude < 1e17 ? 1'000 : 1;
}
}  // namespace

std::optional<int64_t> epoch_to_instant(int64_t v) {
  int64_t out;
  if (__builtin_mul_overflow(v, epoch_scale(std::fabs(double(v))), &out)) return std::nullopt;
  return out;
}

std::optional<int64_t> epoch_to_instant(double v) {
  if (!std::isfinite(v)) return std::nullopt;
  int64_t scale = epoch_scale(std::fabs(v));
  if (std::fabs(v * double(scale)) > 9.2e18) return std::nullopt;
  // Whole units exactly, the fraction rounded to the nanosecond.
  double whole = std::floor(v);
  return int64_t(whole) * scale + int64_t(std::llround((v - whole) * double(scale)));
}

std::optional<int64_t> parse_epoch_text(std::string_view s) {
  auto v = parse_number(s);
  if (!v) return std::nullopt;
  if (v->kind == Value::Kind::Int) return epoch_to_instant(v->i);
  // A plain decimal: split at the point so every digit of the fraction counts.
  size_t dot = s.find('.');
  if (dot == std::string_view::npos || s.find_first_of("eE") != std::string_view::npos) return epoch_to_instant(v->d);
  int64_t whole = 0;
  auto r = std::from_chars(s.data(), s.data() + dot, whole);
  if (r.ec != std::errc() || r.ptr != s.data() + dot) return epoch_to_instant(v->d);
  int64_t scale = epoch_scale(std::fabs(double(whole)));
  int64_t base;
  if (__builtin_mul_overflow(whole, scale, &base)) return std::nullopt;
  Scan sc{s, dot + 1};
  int64_t frac = 0;  // the fraction of one unit, in billionths
  sc.fraction(frac);
  frac = frac * scale / kNsPerSec;
  int64_t out;
  if (s[0] == '-' ? !checked_sub(base, frac, out) : !checked_add(base, frac, out)) return std::nullopt;
  return out;
}

std::optional<int64_t> parse_clf(std::string_view s, const TimeZone& tz) {
  if (s.size() > 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  Scan sc{s};
  CivilTime c;
  int y = 0;
  if (!sc.upto(2, c.day) || !sc.eat('/') || !sc.name(kMonthAbbrev, 12, c.month) || !sc.eat('/') || !sc.fixed(4, y) ||
      !sc.eat(':') || !sc.fixed(2, c.hour) || !sc.eat(':') || !sc.fixed(2, c.minute) || !sc.eat(':') ||
      !sc.fixed(2, c.second))
    return std::nullopt;
  c.month += 1;
  c.year = y;
  if (sc.eat('.') && !sc.fraction(c.nanos)) return std::nullopt;
  sc.spaces();
  if (!sc.done()) {
    if (!sc.offset(c.offset_s)) return std::nullopt;
    c.has_offset = true;
  }
  if (!sc.done()) return std::nullopt;
  return to_instant(c, tz);
}

std::optional<int64_t> parse_syslog(std::string_view s, int64_t ref, bool ref_is_clock, const TimeZone& tz) {
  Scan sc{s};
  CivilTime c;
  if (!sc.name(kMonthAbbrev, 12, c.month)) return std::nullopt;
  if (sc.i != 3 || !sc.eat(' ')) return std::nullopt;
  sc.eat(' ');  // "Nov  1"
  if (!sc.upto(2, c.day) || !sc.eat(' ') || !sc.fixed(2, c.hour) || !sc.eat(':') || !sc.fixed(2, c.minute) ||
      !sc.eat(':') || !sc.fixed(2, c.second))
    return std::nullopt;
  c.month += 1;
  if (sc.eat('.') && !sc.fraction(c.nanos)) return std::nullopt;
  if (!sc.done()) return std::nullopt;
  int64_t ry;
  int rm, rd;
  civil_from_days(floor_div(ref, kNsPerSec * 86400), ry, rm, rd);
  std::optional<int64_t> best;
  for (int64_t y = ry + 1; y >= ry - 1; --y) {  // latest year first
    c.year = y;
    auto t = to_instant(c, tz);
    if (!t) continue;  // Feb 29 in a common year
    if (ref_is_clock) {
      if (*t <= saturating_add(ref, 86400 * kNsPerSec)) return t;
    } else if (!best || std::llabs(*t - ref) < std::llabs(*best - ref)) {
      best = t;
    }
  }
  return best;
}

namespace {
// One strftime directive applied to the scan; false when the text does not fit.
struct StrftimeState {
  CivilTime c;
  int yday = -1;
  int pm = -1;  // %p: 0 am, 1 pm
  bool hour12 = false;
  std::optional<int64_t> epoch;
};

bool apply_directive(char d, Scan& sc, StrftimeState& st, const TimeZone& tz) {
  int v = 0;
  CivilTime& c = st.c;
  switch (d) {
    case 'Y': {
      bool neg = sc.eat('-');
      if (!sc.upto(4, v)) return false;
      c.year = neg ? -v : v;
      return true;
    }
    case 'y':
      if (!sc.fixed(2, v)) return false;
      c.year = v < 69 ? 2000 + v : 1900 + v;
      return true;
    case 'm':
      if (!sc.upto(2, c.month)) return false;
      return true;
    case 'd':
      if (!sc.upto(2, c.day)) return false;
      return true;
    case 'e':
      sc.spaces();
      return sc.upto(2, c.day);
    case 'H':
      return sc.upto(2, c.hour);
    case 'I':
      st.hour12 = true;
      return sc.upto(2, c.hour);
    case 'M':
      return sc.upto(2, c.minute);
    case 'S':
      return sc.upto(2, c.second);
    case 'f':
      return sc.fraction(c.nanos);
    case 'j':
      if (!sc.upto(3, v)) return false;
      st.yday = v;
      return true;
    case 'b':
    case 'h':
    case 'B':
      if (!sc.name(kMonthsLong, 12, v)) return false;
      c.month = v + 1;
      return true;
    case 'a':
    case 'A':
      return sc.name(kDays, 7, v);
    case 'p': {
      char a = lower(sc.peek());
      if ((a != 'a' && a != 'p') || sc.i + 1 >= sc.s.size() || lower(sc.s[sc.i + 1]) != 'm') return false;
      st.pm = a == 'p';
      sc.i += 2;
      return true;
    }
    case 'z':
      if (!sc.offset(c.offset_s)) return false;
      c.has_offset = true;
      return true;
    case 'Z':
      for (std::string_view n : {"UTC", "GMT", "Z"})
        if (sc.s.substr(sc.i, n.size()) == n) {
          sc.i += n.size();
          c.has_offset = true;
          c.offset_s = 0;
          return true;
        }
      return false;
    case 's': {
      size_t start = sc.i;
      sc.eat('-');
      while (is_digit(sc.peek()) || sc.peek() == '.') ++sc.i;
      st.epoch = parse_epoch_text(sc.s.substr(start, sc.i - start));
      return st.epoch.has_value();
    }
    case 'T':
      return apply_directive('H', sc, st, tz) && sc.eat(':') && apply_directive('M', sc, st, tz) && sc.eat(':') &&
             apply_directive('S', sc, st, tz);
    case 'R':
      return apply_directive('H', sc, st, tz) && sc.eat(':') && apply_directive('M', sc, st, tz);
    case 'D':
      return apply_directive('m', sc, st, tz) && sc.eat('/') && apply_directive('d', sc, st, tz) && sc.eat('/') &&
             apply_directive('y', sc, st, tz);
    case 'F':
      return apply_directive('Y', sc, st, tz) && sc.eat('-') && apply_directive('m', sc, st, tz) && sc.eat('-') &&
             apply_directive('d', sc, st, tz);
    case 'n':
    case 't':
      sc.spaces();
      return true;
    case '%':
      return sc.eat('%');
  }
  return false;
}
}  // namespace

std::string check_strftime_format(std::string_view f) {
  static constexpr std::string_view known = "YymdeHIMSfjbhBaApzZsTRDFnt%";
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] != '%') continue;
    if (++i >= f.size()) return "ends with a lone '%'";
    if (known.find(f[i]) == std::string_view::npos) return std::string("unsupported directive %") + f[i];
  }
  return {};
}

std::optional<int64_t> parse_strftime(std::string_view s, std::string_view f, const TimeZone& tz) {
  Scan sc{s};
  StrftimeState st;
  for (size_t k = 0; k < f.size(); ++k) {
    char ch = f[k];
    if (ch == '%' && k + 1 < f.size()) {
      if (!apply_directive(f[++k], sc, st, tz)) return std::nullopt;
    } else if (is_space(ch)) {
      sc.spaces();
    } else if (!sc.eat(ch)) {
      return std::nullopt;
    }
  }
  if (!sc.done()) return std::nullopt;
  if (st.epoch) return st.epoch;
  if (st.hour12) {
    if (st.c.hour < 1 || st.c.hour > 12) return std::nullopt;
    st.c.hour = st.c.hour % 12 + (st.pm == 1 ? 12 : 0);
  } else if (st.pm == 1 && st.c.hour < 12) {
    st.c.hour += 12;
  }
  if (st.yday > 0) {
    int max = is_leap_year(st.c.year) ? 366 : 365;
    if (st.yday > max) return std::nullopt;
    int64_t y;
    civil_from_days(days_from_civil(st.c.year, 1, 1) + st.yday - 1, y, st.c.month, st.c.day);
  }
  return to_instant(st.c, tz);
}

bool TimeParser::same_minute_rfc3339(std::string_view s, int64_t& out) const {
  constexpr size_t kHead = sizeof minute_head_;
  if (s.size() < kHead || !head_valid_ || std::memcmp(s.data(), minute_head_, kHead) != 0) return false;
  // The usual tail, ":SS" with a fraction and "Z", read straight; anything
  // else goes through parse_rfc3339_cached's scanner (same result, more checks).
  const char* p = s.data() + kHead;
  const char* end = s.data() + s.size();
  if (end - p >= 4 && p[0] == ':' && is_digit(p[1]) && is_digit(p[2])) {
    const int second = (p[1] - '0') * 10 + (p[2] - '0');
    p += 3;
    int64_t nanos = 0;
    bool ok = second <= 60;
    if (end - p == 5 && *p == '.' && is_digit(p[1]) && is_digit(p[2]) && is_digit(p[3]) && p[4] == 'Z' && ok)
      return out = (head_local_s_ + second) * kNsPerSec + (p[1] - '0') * 100'000'000 + (p[2] - '0') * 10'000'000 +
                   (p[3] - '0') * 1'000'000,
             true;  // milliseconds, the usual case
    if (*p == '.' || *p == ',') {
      const char* digits = ++p;
      int k = 0;
      for (; p < end && is_digit(*p); ++p)
        if (k < 9) nanos = nanos * 10 + (*p - '0'), ++k;
      for (; k < 9; ++k) nanos *= 10;
      ok = ok && p > digits;
    }
    if (ok && p + 1 == end && (*p == 'Z' || *p == 'z')) return out = (head_local_s_ + second) * kNsPerSec + nanos, true;
  }
  return false;
}

std::optional<int64_t> TimeParser::parse_rfc3339_cached(std::string_view s) {
  // Records come in time order, mostly: the date, hour and minute of the
  // last timestamp are remembered, and a timestamp that starts with the same
  // 16 bytes ("2026-11-21T10:00") only has its seconds, fraction and zone read.
  constexpr size_t kHead = sizeof minute_head_;
  if (s.size() >= kHead && head_valid_ && std::memcmp(s.data(), minute_head_, kHead) == 0) {
    int64_t t;
    if (same_minute_rfc3339(s, t)) return t;
    Scan sc{s, kHead};
    int second = 0, offset = 0;
    int64_t nanos = 0;
    if (sc.eat(':')) {
      if (!sc.fixed(2, second) || second > 60) return std::nullopt;
      if ((sc.eat('.') || sc.eat(',')) && !sc.fraction(nanos)) return std::nullopt;
    }
    if (sc.peek() == ' ') ++sc.i;
    bool has_offset = !sc.done();
    if (has_offset && !sc.offset(offset)) return std::nullopt;
    if (!sc.done()) return std::nullopt;
    int64_t local = head_local_s_ + second;
    int64_t out;
    if (!utc_to_instant(has_offset ? local - offset : tz_.local_to_utc(local), nanos, out)) return std::nullopt;
    return out;
  }
  auto t = parse_rfc3339(s, tz_);
  if (t && s.size() >= kHead && s[13] == ':') {
    Scan sc{s};
    int y = 0, m = 0, d = 0, h = 0, mi = 0;
    sc.fixed(4, y), ++sc.i, sc.fixed(2, m), ++sc.i, sc.fixed(2, d), ++sc.i, sc.fixed(2, h), ++sc.i, sc.fixed(2, mi);
    head_local_s_ = days_from_civil(y, m, d) * 86400 + h * 3600 + mi * 60;
    std::memcpy(minute_head_, s.data(), kHead);
    // same_minute_rfc3339 reads times of this minute without range checks:
    // only for minutes two days or more inside the range, where no second,
    // offset or zone can leave it (the full parser checks the rest).
    constexpr int64_t kMargin = 2 * 86400;
    head_valid_ = head_local_s_ > INT64_MIN / kNsPerSec + kMargin && head_local_s_ < INT64_MAX / kNsPerSec - kMargin;
  }
  return t;
}

const std::vector<DetectedTimeFormat>& detected_time_formats() {
  // Detection order: cheap and unambiguous first.
  static const std::vector<DetectedTimeFormat> formats = {
      {TimeFormat::Rfc3339, "RFC 3339 / ISO 8601", "2026-11-21T10:00:00.123Z"},
      {TimeFormat::Epoch, "epoch seconds, ms, us or ns (by magnitude)", "1795255200"},
      {TimeFormat::Clf, "Common Log Format", "21/Nov/2026:10:00:00 +0000"},
      {TimeFormat::Syslog, "syslog", "Nov 21 10:00:00"},
  };
  return formats;
}

const char* time_format_name(TimeFormat f) {
  switch (f) {
    case TimeFormat::None:
      return "none";
    case TimeFormat::Epoch:
      return "epoch";
    case TimeFormat::Rfc3339:
      return "rfc3339";
    case TimeFormat::Clf:
      return "clf";
    case TimeFormat::Syslog:
      return "syslog";
    case TimeFormat::Strftime:
      return "strftime";
  }
  return "none";
}

TimeParser::TimeParser(TimeZone tz, std::string strftime) : tz_(tz), strftime_(std::move(strftime)) {
  if (!strftime_.empty()) cached_ = TimeFormat::Strftime;
  syslog_ref_ = int64_t(std::time(nullptr)) * kNsPerSec;
}

std::optional<int64_t> TimeParser::parse_as(TimeFormat f, std::string_view text) {
  switch (f) {
    case TimeFormat::None:
      return std::nullopt;
    case TimeFormat::Epoch:
      return parse_epoch_text(text);
    case TimeFormat::Rfc3339:
      return parse_rfc3339_cached(text);
    case TimeFormat::Clf:
      return parse_clf(text, tz_);
    case TimeFormat::Strftime:
      return parse_strftime(text, strftime_, tz_);
    case TimeFormat::Syslog: {
      auto t = parse_syslog(text, syslog_ref_, syslog_ref_is_clock_, tz_);
      if (t) syslog_ref_ = *t, syslog_ref_is_clock_ = false;
      return t;
    }
  }
  return std::nullopt;
}

std::optional<int64_t> TimeParser::parse_any(std::string_view text) {
  if (cached_ == TimeFormat::Strftime) return parse_as(cached_, text);
  if (auto t = cached_ == TimeFormat::Rfc3339 ? parse_rfc3339_cached(text) : parse_as(cached_, text)) return t;
  for (const DetectedTimeFormat& d : detected_time_formats()) {
    const TimeFormat f = d.format;
    if (f == cached_) continue;
    if (auto t = parse_as(f, text)) {
      cached_ = f;
      return t;
    }
  }
  return std::nullopt;
}

void append_rfc3339(std::string& out, int64_t ns) {
  int64_t secs = floor_div(ns, kNsPerSec);
  int64_t frac = ns % kNsPerSec;  // not ns - secs * kNsPerSec: that overflows before 1677-09-21T00:12:44Z
  if (frac < 0) frac += kNsPerSec;
  int64_t days = floor_div(secs, 86400);
  int64_t rem = secs - days * 86400;
  int64_t y;
  int m, d;
  civil_from_days(days, y, m, d);
  char buf[24];
  if (y >= 0 && y <= 9999) {
    int yy = int(y);
    buf[0] = char('0' + yy / 1000), buf[1] = char('0' + yy / 100 % 10), buf[2] = char('0' + yy / 10 % 10),
    buf[3] = char('0' + yy % 10);
    out.append(buf, 4);
  } else {
    auto r = std::to_chars(buf, buf + sizeof buf, y);
    out.append(buf, size_t(r.ptr - buf));
  }
  out.push_back('-');
  append_2(out, m);
  out.push_back('-');
  append_2(out, d);
  out.push_back('T');
  append_2(out, int(rem / 3600));
  out.push_back(':');
  append_2(out, int(rem / 60 % 60));
  out.push_back(':');
  append_2(out, int(rem % 60));
  if (frac) {
    int digits = frac % 1000000 == 0 ? 3 : frac % 1000 == 0 ? 6 : 9;
    char f[9];
    for (int k = 8; k >= 0; --k) f[k] = char('0' + frac % 10), frac /= 10;
    out.push_back('.');
    out.append(f, size_t(digits));
  }
  out.push_back('Z');
}

std::string format_rfc3339(int64_t ns) {
  std::string s;
  append_rfc3339(s, ns);
  return s;
}

namespace {
void append_scaled(std::string& out, int64_t ns, int64_t unit) {
  // Sign and magnitude, so that a time before 1970 reads back as written
  // (-0.5, not the floor -1 and a fraction .5).
  const uint64_t mag = ns < 0 ? 0 - uint64_t(ns) : uint64_t(ns);
  const uint64_t whole = mag / uint64_t(unit);
  int64_t frac = int64_t(mag % uint64_t(unit));
  if (ns < 0) out.push_back('-');
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, whole);
  out.append(buf, size_t(r.ptr - buf));
  if (!frac) return;
  out.push_back('.');
  int digits = 0;
  for (int64_t u = unit; u > 1; u /= 10) ++digits;
  char f[9];
  for (int k = digits - 1; k >= 0; --k) f[k] = char('0' + frac % 10), frac /= 10;
  while (digits > 0 && f[digits - 1] == '0') --digits;
  out.append(f, size_t(digits));
}
}  // namespace

void append_time_value(std::string& out, int64_t ns, TimeOutput how) {
  switch (how) {
    case TimeOutput::Iso:
      out.push_back('"');
      append_rfc3339(out, ns);
      out.push_back('"');
      return;
    case TimeOutput::Epoch:
      return append_scaled(out, ns, kNsPerSec);
    case TimeOutput::EpochMs:
      return append_scaled(out, ns, 1'000'000);
  }
}

}  // namespace su
