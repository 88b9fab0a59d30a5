// Axis ticks (see ticks.hpp).
#include "su/plot/ticks.hpp"

#include <charconv>
#include <cmath>

#include "su/time/timeparse.hpp"

namespace su::plot {
namespace {

double nice_step(double lo, double hi, int max_ticks) {
  const double raw = (hi - lo) / std::max(max_ticks, 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw * (1 - 1e-9)) return m * mag;
  return 10 * mag;
}

std::string format_fixed(double v, int decimals) {
  char buf[64];
  if (std::fabs(v) < 1e-12) v = 0;
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  if (r.ec != std::errc()) return "?";
  return std::string(buf, r.ptr);
}

}  // namespace

std::vector<Tick> number_ticks(double lo, double hi, int max_ticks) {
  std::vector<Tick> t;
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return t;
  const double step = nice_step(lo, hi, max_ticks);
  const int decimals = std::max(0, int(-std::floor(std::log10(step) + 1e-9)));
  for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k += 1)
    t.push_back({k * step, format_fixed(k * step, decimals)});
  return t;
}

std::vector<Tick> time_ticks(double lo, double hi, int max_ticks) {
  static const double steps[] = {0.001, 0.002, 0.005, 0.01,  0.02,  0.05,   0.1,    0.2,     0.5,     1,    2,
                                 5,     10,    15,    30,    60,    120,    300,    600,     900,     1800, 3600,
                                 7200,  10800, 21600, 43200, 86400, 172800, 604800, 2592000, 31536000};
  std::vector<Tick> t;
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return t;
  const double raw = (hi - lo) / std::max(max_ticks, 1);
  double step = steps[sizeof steps / sizeof steps[0] - 1];
  for (double s : steps)
    if (s >= raw) {
      step = s;
      break;
    }
  for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k += 1) {
    const double at = k * step;
    // 2026-11-21T10:00:00.123Z
    std::string r = format_rfc3339(int64_t(std::llround(at * 1e3)) * 1'000'000);
    std::string label;
    if (step < 1) {
      label = r.substr(14, 5);
      label.append(r.size() > 20 ? r.substr(19, 4) : std::string(".000"));
    } else if (step < 60) {
      label = r.substr(11, 8);
    } else if (step < 86400) {
      label = r.substr(11, 5);
    } else {
      label = r.substr(5, 5);
    }
    t.push_back({at, label});
  }
  return t;
}

void widen_to_ticks(double& lo, double& hi, int max_ticks) {
  if (!(hi > lo)) return;
  const double step = nice_step(lo, hi, max_ticks);
  lo = std::floor(lo / step + 1e-9) * step;
  hi = std::ceil(hi / step - 1e-9) * step;
}

}  // namespace su::plot
