// Line and record end scanning (see line_scan.hpp).
#include "su/simd/line_scan.hpp"

#include "su/simd/csv_kernels.hpp"

namespace su {

size_t find_record_end_quoted(const char* p, size_t n, char quote, int* parity) {
  // 64 bytes at a time: quote and newline masks, prefix xor of the quotes
  // (a doubled quote flips the state twice), the state carried across blocks.
  return csv_kernels().find_record_end(p, n, quote, parity);
}

size_t count_byte(const char* p, size_t n, char c) {
  return csv_kernels().count_byte(p, n, c);
}

}  // namespace su
