// The SIMD kernels behind CSV splitting and quote-aware record scanning:
// AVX2, SSE2 and a scalar twin of each, one chosen at run time.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace su {

// A scan kernel (see csv_scan_impl below).
using CsvScanFn = bool (*)(std::string_view rec, char delim, char quote, std::vector<uint32_t>& ends);

// The SIMD kernel behind CsvSplitter: marks the positions of structural bytes
// (delimiters outside quotes) in a record. Implementations: AVX2, SSE2 and a
// scalar twin, chosen at run time; STREAM_UTILS_SIMD=scalar|sse2|avx2 forces
// one (for tests; an unknown or unsupported name falls back to the best one).
// Appends to `ends` the index of each delimiter outside quotes in rec, then
// rec.size(). Returns false when a quote is unbalanced at the end of rec.
CsvScanFn csv_scan_impl();                               // the one chosen at start-up
const char* csv_scan_impl_name();                        // "avx2", "sse2" or "scalar"
CsvScanFn csv_scan_impl_by_name(std::string_view name);  // nullptr when unknown/unsupported
bool csv_scan_scalar(std::string_view rec, char delim, char quote, std::vector<uint32_t>& ends);

// One instruction set's kernels. find_record_end has the contract of
// su::find_record_end_quoted (line_scan.hpp): the index of the first '\n' outside
// quotes in [p, p+n), or n; *parity carries the quote state (0 = outside).
// scan_watch is scan that also sets *seen when the byte `watch` occurs in rec
// (CsvSplitter's test for "no quote, no escape: plain fields").
// count_byte counts the bytes equal to c.
struct CsvKernels {
  const char* name;
  CsvScanFn scan;
  bool (*scan_watch)(std::string_view rec, char delim, char quote, char watch, std::vector<uint32_t>& ends, bool* seen);
  size_t (*find_record_end)(const char* p, size_t n, char quote, int* parity);
  size_t (*count_byte)(const char* p, size_t n, char c);
};
const CsvKernels& csv_kernels();                               // chosen once, at first use
const CsvKernels* csv_kernels_by_name(std::string_view name);  // nullptr when unknown/unsupported
// Every kernel set this CPU can run, best first (scalar last).
std::vector<const CsvKernels*> csv_kernels_available();

}  // namespace su
