// stream-parse's engine: one record per input line or CSV record, in the
// format chosen by --format (or sniffed from the first line).
#pragma once
#include <simdjson.h>

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sample.hpp"
#include "su/core/error.hpp"
#include "su/formats/csv.hpp"
#include "su/formats/format_table.hpp"
#include "su/formats/line_format.hpp"
#include "su/formats/record_writer.hpp"
#include "su/input.hpp"
#include "su/json/json.hpp"
#include "su/record_loop.hpp"
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
  bool follow = false;               // --follow
  bool once = false;                 // --once
  std::string resume;                // --resume DB
  std::vector<std::string> rotated;  // --rotated GLOB
  std::vector<std::string> listen;   // --listen ADDR
  size_t max_clients = 1024;         // --max-clients N
  std::string source_field;          // --source-field NAME
  std::string client_timeout;        // --client-timeout D
  // HTTP ingest (--listen http://, https://).
  std::string token_file;           // --token FILE
  std::string tls_cert;             // --tls-cert FILE
  std::string tls_key;              // --tls-key FILE
  std::string tls_client_ca;        // --tls-client-ca FILE
  std::string max_request = "64M";  // --max-request SIZE
  double max_rate = 1000;           // --max-rate N
  std::vector<std::string> allow;   // --allow CIDR,...
  std::string max_buffered;         // --max-buffered SIZE
};

// The --delimiter character (default `fallback`); throws UsageError.
char delimiter_char(const std::string& d, char fallback);
// --format auto: the format the sample fits (su::detect_format), said on
// stderr when the input is stdin and not a regular file; CSV records of the
// sample are joined across quoted newlines. Throws UsageError when no format
// fits.
std::string detect(const Options& o, Sample& sample, su::InputReader& in, su::Diagnostics& diag);

// NDJSON goes through the shared record loop (this class is its handler);
// CSV, TSV and the line formats are read line by line (line()).
class Parser : public su::RecordHandler {
 public:
  Parser(const Options& o, su::Output& out, su::Diagnostics& diag)
      : o_(o), out_(out), diag_(diag), writer_(rules(o)), control_(o.common.control_enabled()) {}

  // Dispatches on the format table's row of that name.
  void set_format(const std::string& name, su::InputReader& in);

  bool ndjson() const { return kind_ == su::FormatKind::Ndjson; }

  // A CSV record or a line of a line format.
  void line(const su::Line& l);

  // NDJSON (su::RecordHandler): a whole validated block is copied out when
  // nothing is selected or converted; else each record's fields are read.
  bool take_block(const su::Block& b) override;
  std::string read(const su::Line& l, simdjson::ondemand::document& doc) override;
  std::string apply(const su::Line& l) override;
  void control(const su::Line& l, const su::control::Record&) override;
  bool checkpoint(const su::Line& l, const su::control::Record& r) override {
    control(l, r);  // passed on, compacted, like every control record
    return false;
  }
  // End of input (complete) or a signal: warns once about each name of
  // --fields/--types that no record had, with the closest name seen.
  void finish(bool complete) override;

 private:
  static su::FieldRules rules(const Options& o);
  void warn_control_rename();
  bool selecting() const { return !o_.fields.empty() || !o_.types.empty(); }
  // --source-field: the record just written (`{...}\n` at the end of the
  // output) gets the source's name as its last field.
  void add_source(std::string_view source);

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
  su::InputReader* in_ = nullptr;
  uint32_t serial_ = 0;  // of the source of the last CSV line: each source has its own header
  // Sources read in turn (network connections): the header of each, kept
  // while it is not the current one.
  struct Header {
    bool done = false;
    std::vector<std::string> names;
  };
  std::unordered_map<uint32_t, Header> headers_;
  void switch_source(uint32_t serial, uint64_t number);
  std::optional<su::CsvSplitter> csv_;
  bool header_done_ = false;
  std::vector<std::string> names_;
  std::vector<su::CsvField> cells_;
  std::vector<su::ParsedField> fields_;
  std::deque<std::string> strings_;  // stable: fields_ hold views into these
  std::unique_ptr<su::LineFormat> line_format_;
};

}  // namespace su::parse
