// Finding line and record ends in a buffer: memchr (SIMD in glibc) for
// plain lines, the CSV kernels (AVX2/SSE2/scalar, dispatched at run time)
// for quote-aware records and byte counts.
#pragma once
#include <cstddef>
#include <cstring>

namespace su {

// Finds the end of a record in [p, p+n): the index of the '\n' that ends it,
// or n when none. In quote-aware mode a '\n' inside quotes does not count;
// *parity carries the quote state across calls (0 = outside quotes).
inline size_t find_line_end(const char* p, size_t n) {
  const void* hit = std::memchr(p, '\n', n);
  return hit ? size_t(static_cast<const char*>(hit) - p) : n;
}
size_t find_record_end_quoted(const char* p, size_t n, char quote, int* parity);
// How many bytes of [p, p+n) equal c.
size_t count_byte(const char* p, size_t n, char c);

}  // namespace su
