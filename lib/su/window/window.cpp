// Window assigners: tumbling, hopping, count and session windows.
#include "su/window/window.hpp"

#include <algorithm>

#include "su/core/calendar.hpp"

namespace su {

const std::vector<WindowKindInfo>& window_kinds() {
  static const std::vector<WindowKindInfo> kinds = {
      {WindowKind::Tumbling, "--tumbling", "Fixed windows of this length, one after another (e.g. 1m)"},
      {WindowKind::Hopping, "--hopping", "Overlapping windows of this length, one starting --every STEP"},
      {WindowKind::Session, "--session", "A key's session ends after this gap without its records"},
      {WindowKind::Count, "--count", "Windows of N records (per key with --by), one ending every --slide M"},
  };
  return kinds;
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
