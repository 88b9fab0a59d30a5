// Durations (`250ms`, `30s`, `5m`, `1h`, `1d`, sums like `1h30m`), sizes
// (`64M`, `1G`, `4096`) and counts (`1`, `5`), with the reasons a text is
// not one, for messages that the caller prefixes with the option's name.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace su {

// Nanoseconds, or nullopt when s is not a duration. "0" alone is accepted.
std::optional<int64_t> parse_duration(std::string_view s);
// "invalid duration 'soon' (expected e.g. 250ms, 30s, 5m, 1h30m, 1d)".
std::string invalid_duration(std::string_view s);
// Like parse_duration, but throws su::UsageError naming the option.
int64_t duration_arg(std::string_view option, std::string_view s);
// Bytes: a number with an optional K, M or G suffix (powers of 1024).
std::optional<uint64_t> parse_size(std::string_view s);
// "invalid size 'lots' (expected e.g. 4096, 64K, 64M, 1G)", or "... (too large: ...)"
// for a size beyond 2^64 - 1 bytes (which parse_size refuses, never wraps).
std::string invalid_size(std::string_view s);
uint64_t size_arg(std::string_view option, std::string_view s);
// A positive count (1, 2, ...), or nullopt.
std::optional<int64_t> parse_count(std::string_view s);
// "expected a positive number of records, got '0'" (`things`: "records").
std::string invalid_count(std::string_view s, std::string_view things);
// "1m30s"-style text for a duration in nanoseconds (for messages).
std::string format_duration(int64_t ns);

}  // namespace su
