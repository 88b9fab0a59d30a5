// CsvSplitter: field boundaries from the dispatched scan kernel, then quote
// removal per field.
#include "su/formats/csv.hpp"

#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace su {

CsvSplitter::CsvSplitter(CsvDialect d) : d_(d), kernels_(&csv_kernels()) {}

std::string CsvSplitter::split(std::string_view rec, std::vector<CsvField>& out) {
  // Fast path: no quote (CSV) or backslash (TSV) anywhere in the record, so
  // every field is a plain view between two delimiters. The scan reports it.
  const char watch = d_.quote ? d_.quote : d_.tsv_escapes ? '\\' : d_.delimiter;
  bool special = false;
  ends_.clear();
  kernels_->scan_watch(rec, d_.delimiter, d_.quote, watch, ends_, &special);
  if (special && watch != d_.delimiter) return split_escaped(rec, out);
  out.resize(ends_.size());
  size_t start = 0;
  CsvField* o = out.data();
  for (uint32_t e : ends_) {
    *o++ = CsvField{std::string_view(rec.data() + start, e - start), false};
    start = size_t(e) + 1;
  }
  return {};
}

std::string CsvSplitter::split_escaped(std::string_view rec, std::vector<CsvField>& out) {
  std::vector<uint32_t>& ends = ends_;
  ends.clear();
  out.clear();
  if (!kernels_->scan(rec, d_.delimiter, d_.quote, ends)) return "unterminated quoted field";
  // Pass 1: decide sizes so scratch_ never reallocates under live views.
  scratch_.clear();
  scratch_.reserve(rec.size());
  size_t start = 0;
  for (uint32_t e : ends) {
    std::string_view f = rec.substr(start, e - start);
    start = size_t(e) + 1;
    CsvField field;
    if (d_.quote && !f.empty() && f.front() == d_.quote) {
      // Quoted: must end with the quote; doubled quotes inside are one quote.
      if (f.size() < 2 || f.back() != d_.quote) return "stray characters after a closing quote";
      std::string_view inner = f.substr(1, f.size() - 2);
      field.quoted = true;
      if (inner.find(d_.quote) == std::string_view::npos) {
        field.text = inner;
      } else {
        size_t at = scratch_.size();
        for (size_t i = 0; i < inner.size(); ++i) {
          char c = inner[i];
          if (c == d_.quote) {
            if (i + 1 < inner.size() && inner[i + 1] == d_.quote) {
              ++i;
            } else {
              return "a quote inside a quoted field must be doubled";
            }
          }
          scratch_.push_back(c);
        }
        field.text = std::string_view(scratch_.data() + at, scratch_.size() - at);
      }
    } else if (d_.quote && f.find(d_.quote) != std::string_view::npos) {
      return "a quote in an unquoted field";
    } else if (d_.tsv_escapes && f.find('\\') != std::string_view::npos) {
      size_t at = scratch_.size();
      for (size_t i = 0; i < f.size(); ++i) {
        char c = f[i];
        if (c == '\\' && i + 1 < f.size()) {
          char n = f[++i];
          c = n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n == '\\' ? '\\' : n;
          if (n != 't' && n != 'n' && n != 'r' && n != '\\') scratch_.push_back('\\');
        }
        scratch_.push_back(c);
      }
      field.text = std::string_view(scratch_.data() + at, scratch_.size() - at);
    } else {
      field.text = f;
    }
    out.push_back(field);
  }
  return {};
}

}  // namespace su
