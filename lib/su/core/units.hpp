// Durations (`250ms`, `30s`, `5m`, `1h`, `1d`, sums like `1h30m`) and sizes
// (`64M`, `1G`, `4096`).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace su {

// Nanoseconds, or nullopt when s is not a duration. "0" alone is accepted.
std::optional<int64_t> parse_duration(std::string_view s);
// Like parse_duration, but throws su::UsageError naming the option.
int64_t duration_arg(std::string_view option, std::string_view s);
// Bytes: a number with an optional K, M or G suffix (powers of 1024).
std::optional<uint64_t> parse_size(std::string_view s);
uint64_t size_arg(std::string_view option, std::string_view s);
// "1m30s"-style text for a duration in nanoseconds (for messages).
std::string format_duration(int64_t ns);

}  // namespace su
