// stream-parse's engine: one record per input line or CSV record, in the
// format chosen by --format (or sniffed from the first line).
#pragma once
#include <simdjson.h>

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "su/formats/record_writer.hpp"
#include "su/formats/csv.hpp"
#include "su/core/error.hpp"
#include "su/input.hpp"
#include "su/json/json.hpp"
#include "su/formats/format_table.hpp"
#include "su/formats/line_format.hpp"
#include "su/tool.hpp"

namespace su::parse {

struct Options {
  su::CommonOptions common;
  std::string format = "auto";
  std::string regex;
  std::string delimiter;
  bool no_header = false;
  std::vector<std::string> columns;
  std::vector<std::string> fields;
  std::string types;
  bool no_infer = false;
};

// The --delimiter character (default `fallback`); throws UsageError.
char delimiter_char(const std::string& d, char fallback);
// The format the first non-blank line looks like (su::sniff_format).
std::string sniff(std::string_view line);

class Parser {
 public:
  Parser(const Options& o, su::Output& out, su::Diagnostics& diag)
      : o_(o), out_(out), diag_(diag), writer_(rules(o)), control_(o.common.control_enabled()) {}

  // Dispatches on the format table's row of that name.
  void set_format(const std::string& name, su::InputReader& in);

  // NDJSON with nothing to select or convert: validate a whole block of lines
  // with one parse_many pass and copy it out when it is already compact.
  bool block_mode() const { return kind_ == su::FormatKind::Ndjson && o_.fields.empty() && o_.types.empty(); }

  void block(const su::Block& b);

  void line(const su::Line& l);

 private:
  static su::FieldRules rules(const Options& o);
  // True when the block was valid NDJSON objects, one per line, and was
  // written out; false to fall back to line-by-line handling.
  bool fast_block(const su::Block& b);


  std::string ndjson(const su::Line& l);

  void minify(std::string_view text);

  std::string csv(const su::Line& l);

  void take_header();

  void default_names(size_t n);

  const Options& o_;
  su::Output& out_;
  su::Diagnostics& diag_;
  su::RecordWriter writer_;
  bool control_;
  su::FormatKind kind_ = su::FormatKind::Ndjson;
  std::optional<su::CsvSplitter> csv_;
  bool header_done_ = false;
  std::vector<std::string> names_;
  std::vector<su::CsvField> cells_;
  std::vector<su::ParsedField> fields_;
  std::deque<std::string> strings_;  // stable: fields_ hold views into these
  std::unique_ptr<su::LineFormat> line_format_;
  su::JsonLineParser json_;
  simdjson::dom::parser stream_parser_;
};

}  // namespace su::parse
