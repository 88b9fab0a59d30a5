// libFuzzer target: the time parsers and the window assigners, with
// properties checked, not just run (a failed check traps):
// - every parser either refuses the text or gives an instant that RFC 3339
//   and epoch (--time-output) output read back exactly;
// - TimeParser's cached-minute path gives what the full RFC 3339 parser
//   gives, for the same zone;
// - durations read back from format_duration;
// - tumbling, hopping, session and calendar windows contain the time, have
//   start < end and the right length, and are refused (not wrapped) exactly
//   when they do not fit in int64 nanoseconds (checked against __int128);
// - the window engine takes records at any time without overflow and holds
//   nothing once every window is closed.
// Input: 1 byte of choices, 3 int64 (time, size, step), then the text.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "su/core/buffer.hpp"
#include "su/core/units.hpp"
#include "su/time/timeparse.hpp"
#include "su/time/zone.hpp"
#include "su/window/engine.hpp"
#include "su/window/window.hpp"

namespace {
void require(bool ok) {
  if (!ok) __builtin_trap();
}

using i128 = __int128;
bool fits(i128 v) {
  return v >= INT64_MIN && v <= INT64_MAX;
}
i128 floor_div128(i128 a, i128 b) {
  i128 q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int64_t take64(const uint8_t*& p, size_t& n) {
  uint64_t v = 0;
  if (n >= 8) {
    std::memcpy(&v, p, 8);
    p += 8, n -= 8;
  }
  return int64_t(v);
}

const su::TimeZone& zone(unsigned i) {
  static const std::vector<su::TimeZone> zones = {su::TimeZone(), *su::TimeZone::parse("-02:00"),
                                                  *su::TimeZone::parse("+05:30")};
  return zones[i % zones.size()];
}

// An instant that was read must be written and read back unchanged.
void round_trips(std::optional<int64_t> t) {
  if (!t) return;
  require(su::parse_rfc3339(su::format_rfc3339(*t)) == *t);
  // --time-output epoch, and epoch_ms where its magnitude reads as
  // milliseconds (1e11 ms and more: from 1973 on, before 1966).
  std::string text;
  su::append_time_value(text, *t, su::TimeOutput::Epoch);
  require(su::parse_epoch_text(text) == *t);
  if (*t >= 100'000'000'000'000'000 || *t <= -100'000'000'000'000'000) {
    text.clear();
    su::append_time_value(text, *t, su::TimeOutput::EpochMs);
    require(su::parse_epoch_text(text) == *t);
  }
}

void check_parsers(std::string_view text, const su::TimeZone& tz, int64_t ref) {
  round_trips(su::parse_rfc3339(text, tz));
  round_trips(su::parse_epoch_text(text));
  round_trips(su::parse_clf(text, tz));
  round_trips(su::parse_syslog(text, ref, ref & 1, tz));
  // The text's first line as a strftime format, its rest as the value.
  const size_t nl = text.find('\n');
  if (nl != std::string_view::npos && su::check_strftime_format(text.substr(0, nl)).empty())
    round_trips(su::parse_strftime(text.substr(nl + 1), text.substr(0, nl), tz));

  // The cached-minute path against the full parser: prime with the text's
  // own minute (the first 16 bytes and a valid tail), then read the text.
  if (text.size() >= 16) {
    su::TimeParser p(tz);
    std::string prime(text.substr(0, 16));
    prime += ":30Z";
    p.parse(prime);
    const auto cached = p.parse(text);
    if (p.detected() == su::TimeFormat::Rfc3339) require(cached == su::parse_rfc3339(text, tz));
    round_trips(cached);
  }

  if (auto d = su::parse_duration(text)) {
    require(*d >= 0);
    // (parse_duration takes each part up to 9.2e18 ns, so the longest sums
    // cannot be written back as one "106751d..." part)
    if (*d < 9'000'000'000'000'000'000) require(su::parse_duration(su::format_duration(*d)) == *d);
  }
}

void check_tumbling(int64_t t, int64_t size) {
  const i128 start = floor_div128(t, size) * size, end = start + size;
  auto w = su::tumbling_window(t, size);
  require(w.has_value() == (fits(start) && fits(end)));
  if (w) require(w->start == start && w->end == end && w->start <= t && t < w->end);
}

void check_hopping(int64_t t, int64_t size, int64_t every) {
  if (!su::check_hopping(size, every).empty()) return;  // refused at option time
  const i128 last = floor_div128(t, every), first = floor_div128(i128(t) - size, every) + 1;
  // Starts grow with k: all fit when the first start and the last end do.
  const bool all_fit = fits(first * every) && fits(last * every + size);
  std::vector<su::TimeWindow> out;
  const bool ok = su::hopping_windows(t, size, every, out);
  require(ok == all_fit);
  if (!ok) return require(out.empty());
  require(i128(out.size()) == last - first + 1);
  require(!out.empty() && out.size() <= size_t(su::kMostHops) + 1);
  for (size_t i = 0; i < out.size(); ++i) {
    const su::TimeWindow& w = out[i];
    require(w.start <= t && t < w.end && i128(w.end) - w.start == size && w.start % every == 0);
    if (i) require(w.start > out[i - 1].start);
  }
}

void check_session(int64_t t, int64_t gap, int64_t other) {
  std::vector<su::TimeWindow> open;
  if (auto w = su::tumbling_window(other, gap)) open.push_back(*w);
  std::vector<size_t> merged;
  auto s = su::session_join(open, t, gap, merged);
  require(s.has_value() == fits(i128(t) + gap));
  if (!s) return;
  require(s->start <= t && t < s->end && i128(s->end) - s->start >= gap);
  for (size_t i : merged) require(s->start <= open[i].start && open[i].end <= s->end);
}

void check_calendar(int64_t t, const su::TimeZone& tz, unsigned choice) {
  su::WindowSpec spec;
  spec.calendar = choice % 3 == 0   ? su::CalendarUnit::Day
                  : choice % 3 == 1 ? su::CalendarUnit::Week
                                    : su::CalendarUnit::Month;
  spec.size = 1 + choice % 4;
  spec.zone = tz;
  const su::TimeWindow w = su::calendar_window(t, spec);
  // Saturated at an end of the range: the engine refuses the time.
  if (w.start != INT64_MIN && w.end != INT64_MAX) require(w.start <= t && t < w.end);
}

void check_engine(su::WindowKind kind, int64_t t, int64_t size, int64_t every, const uint8_t* p, size_t n) {
  su::WindowOptions o;
  o.spec.kind = kind;
  o.spec.size = kind == su::WindowKind::Count ? 1 + size % 5 : size;
  o.spec.every = kind == su::WindowKind::Count ? 1 + every % o.spec.size : every;
  o.spec.gap = size;
  o.grace = every;
  o.max_buffer = 4096;
  if (kind == su::WindowKind::Hopping && !su::check_hopping(size, every).empty()) return;
  su::RecordBuffer out;
  su::WindowEngine e(o, out);
  // Each further byte moves the time by a multiple of the step (either way) and names a key.
  for (size_t i = 0; i < n && i < 64; ++i) {
    const uint64_t step = uint64_t(int64_t(int8_t(p[i]))) * uint64_t(every / 16 + 1);
    t = int64_t(uint64_t(t) + step);  // wraps on purpose (unsigned): any time, in range or not
    const std::string key = "\"k\":" + std::to_string(p[i] & 3);
    e.add("{\"i\":1}", t, key);
    if (p[i] == 0xff) e.advance(t);
    require(e.buffered_bytes() <= o.max_buffer);
    (void)e.next_close();
    (void)e.last_close();
  }
  e.close_all();
  if (kind != su::WindowKind::Count) require(e.buffered_bytes() == 0);
  require(out.buf().empty() || out.buf().back() == '\n');
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t* p = data;
  size_t n = size;
  const unsigned choice = *p++;
  --n;
  const int64_t t = take64(p, n), a = take64(p, n), b = take64(p, n);
  const std::string_view text(reinterpret_cast<const char*>(p), n);
  const su::TimeZone& tz = zone(choice);

  check_parsers(text, tz, t);

  // Positive sizes of every magnitude: the top bits of choice pick a shift.
  int64_t len = int64_t(uint64_t(a) >> (1 + (choice >> 2) % 63));
  if (len <= 0) len = 1;
  int64_t step = int64_t(uint64_t(b) % uint64_t(len)) + 1;  // 1 .. len
  // Windows per record: up to the bound with the top bit of choice, else up
  // to 64 (fast runs: the engine writes each record once per window).
  const int64_t most = choice & 0x80 ? su::kMostHops : 64;
  if (len / step > most) step = len / most + 1;
  check_tumbling(t, len);
  check_hopping(t, len, step);
  check_session(t, len, b);
  check_calendar(t, tz, choice);
  if (auto parsed = su::parse_rfc3339(text, tz)) check_tumbling(*parsed, len);

  static constexpr su::WindowKind kinds[] = {su::WindowKind::Tumbling, su::WindowKind::Hopping, su::WindowKind::Session,
                                             su::WindowKind::Count};
  check_engine(kinds[choice % 4], t, len, step, p, n);
  return 0;
}
