// Event-time progress while input is idle (see progress.hpp).
#include "su/window/progress.hpp"

#include <algorithm>
#include <climits>

#include "su/time/checked.hpp"

namespace su {

int Progress::wait_ms(int64_t ns) {
  int64_t ms = (ns + 999'999) / 1'000'000;
  return int(std::clamp<int64_t>(ms, 1, 3'600'000));
}

int Progress::tick(int64_t mono_ns, int64_t real_ns) {
  if (!active()) return -1;
  if (input_seen_) {
    input_seen_ = false;
    last_input_ = mono_ns;
    base_ = engine_.now();
  }
  auto next = engine_.next_close();
  if (!next || !engine_.started()) return -1;
  int64_t now;
  if (processing_) {
    now = real_ns;
  } else {
    int64_t elapsed = mono_ns - last_input_;
    if (elapsed < idle_) return wait_ms(idle_ - elapsed);
    now = std::max(saturating_add(base_, elapsed), engine_.last_close().value_or(INT64_MIN));
  }
  if (now >= *next) {
    engine_.advance(now);
    next = engine_.next_close();
    if (!next) return -1;
  }
  return wait_ms(saturating_sub(*next, now));
}

}  // namespace su
