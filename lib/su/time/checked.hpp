// Checked and saturating arithmetic on instants and durations (int64
// nanoseconds, years ~1677-2262): the one place where time arithmetic meets
// the edge of the range. Checked helpers return false instead of wrapping
// (undefined behaviour); saturating ones stop at INT64_MIN / INT64_MAX, for
// comparisons against the stream's time (a window that closes "never").
#pragma once
#include <cstdint>

namespace su {

// a + b (a - b, a * b) into out; false when it does not fit in int64.
inline bool checked_add(int64_t a, int64_t b, int64_t& out) {
  return !__builtin_add_overflow(a, b, &out);
}
inline bool checked_sub(int64_t a, int64_t b, int64_t& out) {
  return !__builtin_sub_overflow(a, b, &out);
}
inline bool checked_mul(int64_t a, int64_t b, int64_t& out) {
  return !__builtin_mul_overflow(a, b, &out);
}

inline int64_t saturating_add(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return b > 0 ? INT64_MAX : INT64_MIN;
  return r;
}
inline int64_t saturating_sub(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) return b < 0 ? INT64_MAX : INT64_MIN;
  return r;
}

}  // namespace su
