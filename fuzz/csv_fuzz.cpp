// libFuzzer target: every CSV kernel this CPU can run (AVX2, SSE2) gives the
// same answers as its scalar twin (scan, scan_watch, find_record_end,
// count_byte) on the same bytes, and CsvSplitter never crashes.
// The first input byte picks the dialect; the rest is the record.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "su/formats/csv.hpp"

namespace {
void require(bool ok) {
  if (!ok) __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const char kDelims[] = {',', ';', '\t', '|'};
  static const char kQuotes[] = {'"', '\'', '\0', '"'};
  const char delim = kDelims[data[0] & 3];
  const char quote = kQuotes[(data[0] >> 2) & 3];
  const char watch = (data[0] & 16) ? '\\' : quote;
  const std::string_view rec(reinterpret_cast<const char*>(data + 1), size - 1);

  const su::CsvKernels* scalar = su::csv_kernels_by_name("scalar");
  require(scalar != nullptr);
  std::vector<uint32_t> want, got;
  const bool want_ok = scalar->scan(rec, delim, quote, want);
  bool want_seen = false;
  std::vector<uint32_t> want_w;
  scalar->scan_watch(rec, delim, quote, watch, want_w, &want_seen);
  require(want_w == want);
  for (const su::CsvKernels* k : su::csv_kernels_available()) {
    got.clear();
    require(k->scan(rec, delim, quote, got) == want_ok);
    require(got == want);
    got.clear();
    bool seen = !want_seen;
    require(k->scan_watch(rec, delim, quote, watch, got, &seen) == want_ok);
    require(got == want && seen == want_seen);
    for (int parity : {0, 1}) {
      int p1 = parity, p2 = parity;
      const char q = quote ? quote : '"';
      require(k->find_record_end(rec.data(), rec.size(), q, &p1) ==
              scalar->find_record_end(rec.data(), rec.size(), q, &p2));
      require(p1 == p2);
    }
    require(k->count_byte(rec.data(), rec.size(), delim) == scalar->count_byte(rec.data(), rec.size(), delim));
  }

  su::CsvDialect d;
  d.delimiter = delim;
  d.quote = quote;
  d.tsv_escapes = quote == '\0';
  su::CsvSplitter splitter(d);
  std::vector<su::CsvField> fields;
  if (splitter.split(rec, fields).empty()) {
    require(fields.size() == want.size());
    for (const su::CsvField& f : fields) require(f.text.size() <= rec.size());
  }
  return 0;
}
