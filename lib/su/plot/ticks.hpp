// Axis ticks: round numbers (1, 2, 5 times a power of ten) for a number axis,
// and whole seconds, minutes, hours or days (UTC) for a time axis, with their labels.
#pragma once
#include <string>
#include <vector>

namespace su::plot {

struct Tick {
  double at;
  std::string label;
};

// At most about max_ticks ticks inside [lo, hi] (hi > lo), at round numbers.
std::vector<Tick> number_ticks(double lo, double hi, int max_ticks);
// Ticks at round times inside [lo, hi] (seconds since the epoch, UTC): labels
// HH:MM:SS, HH:MM, MM:SS.mmm or MM-DD as the step asks.
std::vector<Tick> time_ticks(double lo, double hi, int max_ticks);
// Widens [lo, hi] to the round numbers around it (automatic y scaling).
void widen_to_ticks(double& lo, double& hi, int max_ticks);

}  // namespace su::plot
