// RFC 4180 CSV/TSV field splitting. One record at a time (the input reader in
// quote-aware mode hands out whole records, newlines in quotes included).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "su/simd/csv_kernels.hpp"

namespace su {

struct CsvDialect {
  char delimiter = ',';
  char quote = '"';          // '\0': no quoting (TSV)
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
  // Slow path: quoted fields and TSV escapes.
  std::string split_escaped(std::string_view rec, std::vector<CsvField>& out);

  CsvDialect d_;
  const CsvKernels* kernels_;
  std::vector<uint32_t> ends_;
  std::string scratch_;
};

}  // namespace su
