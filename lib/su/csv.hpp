// RFC 4180 CSV/TSV field splitting. One record at a time (the input reader in
// quote-aware mode hands out whole records, newlines in quotes included).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace su {

struct CsvDialect {
  char delimiter = ',';
  char quote = '"';   // '\0': no quoting (TSV)
  bool tsv_escapes = false;  // TSV: \t \n \r \\ in fields are unescaped
};

struct CsvField {
  std::string_view text;  // unquoted, unescaped text
  bool quoted = false;    // was quoted in the input ("" stays an empty string)
};

class CsvSplitter {
 public:
  explicit CsvSplitter(CsvDialect d = {});
  // Splits rec into fields. Views point into rec or into internal storage that
  // stays valid until the next call. Returns an empty string, or the reason
  // the record is malformed (e.g. a stray quote).
  std::string split(std::string_view rec, std::vector<CsvField>& out);

 private:
  CsvDialect d_;
  std::string scratch_;
};

// The SIMD kernel behind CsvSplitter: marks the positions of structural bytes
// (delimiters outside quotes) in a record. Implementations: AVX2, SSE2 and a
// scalar twin, chosen at run time; STREAM_UTILS_SIMD=scalar|sse2|avx2 forces
// one (for tests).
// Appends to `ends` the index of each delimiter outside quotes in rec, then
// rec.size(). Returns false when a quote is unbalanced at the end of rec.
using CsvScanFn = bool (*)(std::string_view rec, char delim, char quote, std::vector<uint32_t>& ends);
CsvScanFn csv_scan_impl();                    // the one chosen at start-up
const char* csv_scan_impl_name();             // "avx2", "sse2" or "scalar"
CsvScanFn csv_scan_impl_by_name(std::string_view name);  // nullptr when unknown/unsupported
bool csv_scan_scalar(std::string_view rec, char delim, char quote, std::vector<uint32_t>& ends);

}  // namespace su
