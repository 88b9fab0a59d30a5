// Duration and size arguments.
#include "su/core/units.hpp"

#include <charconv>

#include "su/core/error.hpp"

namespace su {

std::optional<int64_t> parse_duration(std::string_view s) {
  if (s == "0") return 0;
  if (s.empty()) return std::nullopt;
  int64_t total = 0;
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) ++i;
    if (i == start) return std::nullopt;
    double num = 0;
    auto r = std::from_chars(s.data() + start, s.data() + i, num);
    if (r.ec != std::errc() || r.ptr != s.data() + i) return std::nullopt;
    size_t u = i;
    while (i < s.size() && s[i] >= 'a' && s[i] <= 'z') ++i;
    std::string_view unit = s.substr(u, i - u);
    double mult;
    if (unit == "ns")
      mult = 1;
    else if (unit == "us")
      mult = 1e3;
    else if (unit == "ms")
      mult = 1e6;
    else if (unit == "s")
      mult = 1e9;
    else if (unit == "m")
      mult = 60e9;
    else if (unit == "h")
      mult = 3600e9;
    else if (unit == "d")
      mult = 86400e9;
    else
      return std::nullopt;
    double v = num * mult;
    if (v > 9.2e18) return std::nullopt;
    if (__builtin_add_overflow(total, int64_t(v + 0.5), &total)) return std::nullopt;  // a sum past int64 ns
  }
  return total;
}

std::string invalid_duration(std::string_view s) {
  return "invalid duration '" + std::string(s) + "' (expected e.g. 250ms, 30s, 5m, 1h30m, 1d)";
}

int64_t duration_arg(std::string_view option, std::string_view s) {
  auto d = parse_duration(s);
  if (!d) throw UsageError(std::string(option) + ": " + invalid_duration(s));
  return *d;
}

namespace {
// A size's number and unit multiplier; false when s is not NUMBER[UNIT]. A
// number beyond uint64 is kept as UINT64_MAX (too large either way).
bool split_size(std::string_view s, uint64_t& v, uint64_t& mult) {
  v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ptr == s.data()) return false;
  if (r.ec == std::errc::result_out_of_range)
    v = UINT64_MAX;
  else if (r.ec != std::errc())
    return false;
  std::string_view unit = s.substr(size_t(r.ptr - s.data()));
  if (unit.empty() || unit == "B")
    mult = 1;
  else if (unit == "K" || unit == "k" || unit == "KiB")
    mult = 1ull << 10;
  else if (unit == "M" || unit == "MiB")
    mult = 1ull << 20;
  else if (unit == "G" || unit == "GiB")
    mult = 1ull << 30;
  else
    return false;
  return true;
}
}  // namespace

std::optional<uint64_t> parse_size(std::string_view s) {
  uint64_t v, mult, bytes;
  if (!split_size(s, v, mult) || v == UINT64_MAX || __builtin_mul_overflow(v, mult, &bytes)) return std::nullopt;
  return bytes;
}

std::string invalid_size(std::string_view s) {
  uint64_t v, mult;
  std::string m = "invalid size '";
  m.append(s);
  if (split_size(s, v, mult)) return m.append("' (too large: at most 17179869183G, 2^64 - 1 bytes)");
  return m.append("' (expected e.g. 4096, 64K, 64M, 1G)");
}

uint64_t size_arg(std::string_view option, std::string_view s) {
  auto v = parse_size(s);
  if (!v) throw UsageError(std::string(option) + ": " + invalid_size(s));
  return *v;
}

std::optional<int64_t> parse_count(std::string_view s) {
  int64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || v < 1) return std::nullopt;
  return v;
}

std::string invalid_count(std::string_view s, std::string_view things) {
  return "expected a positive number of " + std::string(things) + ", got '" + std::string(s) + "'";
}

std::string format_duration(int64_t ns) {
  if (ns == 0) return "0s";
  std::string out;
  struct U {
    const char* name;
    int64_t ns;
  };
  static constexpr U units[] = {{"d", 86400000000000LL},
                                {"h", 3600000000000LL},
                                {"m", 60000000000LL},
                                {"s", 1000000000LL},
                                {"ms", 1000000LL},
                                {"us", 1000LL},
                                {"ns", 1}};
  for (const U& u : units) {
    if (ns >= u.ns) {
      out += std::to_string(ns / u.ns) + u.name;
      ns %= u.ns;
    }
  }
  return out;
}

}  // namespace su
