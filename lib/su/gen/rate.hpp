// stream-gen's --rate: COUNT/PERIOD (`1/s`, `500/s`, `2/m`, `10/250ms`).
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace su::gen {

// The time between two ticks in nanoseconds (fractional), or nullopt when s
// is not a rate. The period is a duration (`s`, `m`, `h` alone mean one).
std::optional<double> parse_rate(std::string_view s);

}  // namespace su::gen
