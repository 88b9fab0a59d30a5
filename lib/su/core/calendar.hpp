// Calendar arithmetic shared by time parsing, windows and log formats:
// floor division (times before 1970) and the English month abbreviations.
#pragma once
#include <cstdint>

namespace su {

// Floor division (rounds toward minus infinity). b > 0 or b < 0, never 0.
inline int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// "Jan" .. "Dec", as syslog and Common Log Format write them.
inline constexpr const char* kMonthAbbrev[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace su
