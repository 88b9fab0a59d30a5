// RFC 4180 CSV/TSV field splitting. One record at a time (the input reader in
// quote-aware mode hands out whole records, newlines in quotes included).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace su {

struct CsvDialect {
  char delimiter = ',';
  char quote = '"';          // '\0': no quoting (TSV)
  bool tsv_escapes = false;  // TSV: \t \n \r \\ in fields are unescaped
};

// A scan kernel (see csv_scan_impl below).
using CsvScanFn = bool (*)(std::string_view rec, char delim, char quote, std::vector<uint32_t>& ends);

struct CsvField {
  std::string_view text;  // unquoted, unescaped text
  bool quoted = false;    // was quoted in the input ("" stays an empty string)
};

struct CsvKernels;

class CsvSplitter {
 public:
  explicit CsvSplitter(CsvDialect d = {});
  // Splits rec into fields. Views point into rec or into internal storage that
  // stays valid until the next call. Returns an empty string, or the reason
  // the record is malformed (e.g. a stray quote).
  std::string split(std::string_view rec, std::vector<CsvField>& out);

 private:
  // Slow path: quoted fields and TSV escapes.
  std::string split_escaped(std::string_view rec, std::vector<CsvField>& out);

  CsvDialect d_;
  const CsvKernels* kernels_;
  std::vector<uint32_t> ends_;
  std::string scratch_;
};

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
// su::find_record_end_quoted (input.hpp): the index of the first '\n' outside
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
