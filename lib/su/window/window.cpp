// Window assigners: tumbling, hopping, count and session windows.
#include "su/window/window.hpp"

#include <algorithm>

#include "su/core/calendar.hpp"
#include "su/core/units.hpp"

namespace su {

namespace {

std::string read_time(std::string_view value, int64_t& out, const char* what) {
  auto d = parse_duration(value);
  if (!d) return invalid_duration(value);
  if (*d <= 0) return std::string(what) + " must be more than 0";
  out = *d;
  return {};
}

// The length of a tumbling or hopping window.
std::string read_window_size(std::string_view value, WindowSpec& w) {
  return read_time(value, w.size, "the window size");
}

std::string read_session_gap(std::string_view value, WindowSpec& w) { return read_time(value, w.gap, "the gap"); }

std::string read_record_count(std::string_view value, WindowSpec& w) {
  auto n = parse_count(value);
  if (!n) return invalid_count(value, "records");
  w.size = *n;
  return {};
}

}  // namespace

const std::vector<WindowKindInfo>& window_kinds() {
  static const std::vector<WindowKindInfo> kinds = {
      {WindowKind::Tumbling, "--tumbling", "SIZE", "Fixed windows of this length, one after another (e.g. 1m)",
       "A duration: `250ms`, `30s`, `5m`, `1h`, `1d`, or a sum like `1h30m`.", read_window_size},
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

TimeWindow tumbling_window(int64_t t, int64_t size) {
  int64_t start = floor_div(t, size) * size;
  return {start, start + size};
}

void hopping_windows(int64_t t, int64_t size, int64_t every, std::vector<TimeWindow>& out) {
  out.clear();
  // Starts k*every with t - size < k*every <= t.
  int64_t last = floor_div(t, every);
  int64_t first = floor_div(t - size, every) + 1;
  for (int64_t k = first; k <= last; ++k) out.push_back({k * every, k * every + size});
}

CountRange count_windows(uint64_t n, int64_t size, int64_t slide) {
  // Window k holds records k*slide - size + 1 .. k*slide.
  const uint64_t s = uint64_t(slide);
  CountRange r;
  r.first = int64_t((n + s - 1) / s);
  r.last = int64_t((n - 1 + uint64_t(size)) / s);
  return r;
}

TimeWindow session_join(const std::vector<TimeWindow>& open, int64_t t, int64_t gap, std::vector<size_t>& merged) {
  merged.clear();
  TimeWindow w{t, t + gap};
  for (size_t i = 0; i < open.size(); ++i) {
    const TimeWindow& s = open[i];
    if (t + gap > s.start && t < s.end) {
      merged.push_back(i);
      w.start = std::min(w.start, s.start);
      w.end = std::max(w.end, s.end);
    }
  }
  return w;
}

}  // namespace su
