// stream-parse: raw input (CSV, TSV, NDJSON, logfmt, access logs, syslog, any
// regex with named groups) to NDJSON records.
#include <CLI/CLI.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "fields.hpp"
#include "su/csv.hpp"
#include "su/error.hpp"
#include "su/json.hpp"
#include "su/line_format.hpp"
#include "su/tool.hpp"

namespace {

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

// Builds --format's choices and help text from the format table.
std::vector<std::string> format_names() {
  std::vector<std::string> names = {"auto", "ndjson", "csv", "tsv"};
  for (const auto& f : su::line_formats()) names.push_back(f.name);
  return names;
}

std::string format_help() {
  std::string h =
      "Input format:\n  auto     decide from the first line\n  ndjson   one JSON object per line (validated, "
      "compacted)\n  csv      RFC 4180 CSV with a header line\n  tsv      tab-separated values with a header line";
  for (const auto& f : su::line_formats()) {
    std::string name = f.name;
    h += "\n  " + name + std::string(name.size() < 9 ? 9 - name.size() : 1, ' ') + f.help;
  }
  return h;
}

char delimiter_char(const std::string& d, char fallback) {
  if (d.empty()) return fallback;
  if (d == "\\t" || d == "tab") return '\t';
  if (d.size() != 1) throw su::UsageError("--delimiter: expected one character, got '" + d + "'");
  if (d[0] == '"' || d[0] == '\n' || d[0] == '\r') throw su::UsageError("--delimiter: cannot be a quote or a newline");
  return d[0];
}

// Picks a format from the first non-blank line.
std::string sniff(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (i < line.size() && line[i] == '{') return "ndjson";
  for (const auto& f : su::line_formats())
    if (f.sniff && f.sniff(line)) return f.name;
  if (line.find('\t') != std::string_view::npos && line.find(',') == std::string_view::npos) return "tsv";
  return "csv";
}

class Parser {
 public:
  Parser(const Options& o, su::Output& out, su::Diagnostics& diag)
      : o_(o), out_(out), diag_(diag), writer_(rules(o)), control_(o.common.control_enabled()) {}

  void set_format(const std::string& name, su::InputReader& in) {
    format_ = name;
    if (name == "csv" || name == "tsv") {
      su::CsvDialect d;
      d.delimiter = delimiter_char(o_.delimiter, name == "tsv" ? '\t' : ',');
      if (name == "tsv") {
        d.quote = '\0';
        d.tsv_escapes = true;
      }
      csv_ = su::CsvSplitter(d);
      in.set_quote_aware(d.quote != '\0', d.quote);
      header_done_ = o_.no_header || !o_.columns.empty();
      names_ = o_.columns;
    } else if (name != "ndjson") {
      const su::LineFormatInfo* f = su::find_line_format(name);
      if (!f) throw su::UsageError("--format: unknown format '" + name + "'");
      line_format_ = f->make(o_.regex);
    }
  }

  // NDJSON with nothing to select or convert: validate a whole block of lines
  // with one parse_many pass and copy it out when it is already compact.
  bool block_mode() const { return format_ == "ndjson" && o_.fields.empty() && o_.types.empty(); }

  void block(const su::Block& b) {
    if (b.lines > 1 && fast_block(b)) return;
    su::for_each_line(b, [this](const su::Line& l) { line(l); });
  }

  void line(const su::Line& l) {
    if (l.too_long) return diag_.reject(l, "line longer than --max-line (" + o_.common.max_line + ")");
    if (is_blank(l.text)) return;
    std::string reason;
    if (format_ == "ndjson") reason = ndjson(l);
    else if (csv_) reason = csv(l);
    else {
      reason = line_format_->parse(l.text, fields_);
      if (reason.empty()) reason = writer_.write(out_.buf(), fields_);
    }
    if (!reason.empty()) return diag_.reject(l, reason);
    out_.end_record();
  }

 private:
  static su::FieldRules rules(const Options& o) {
    su::FieldRules r;
    r.infer = !o.no_infer;
    r.keep = o.fields;
    if (!o.types.empty()) r.parse_types(o.types);
    return r;
  }
  // True when the block was valid NDJSON objects, one per line, and was
  // written out; false to fall back to line-by-line handling.
  bool fast_block(const su::Block& b) {
    std::string_view t = b.text;
    simdjson::dom::document_stream stream;
    size_t batch = std::max<size_t>(t.size(), size_t(1) << 20);
    if (stream_parser_.parse_many(t.data(), t.size(), batch).get(stream)) return false;
    uint64_t docs = 0;
    for (auto it = stream.begin(); it != stream.end(); ++it) {
      simdjson::dom::element el;
      simdjson::dom::object obj;
      if ((*it).get(el) || el.get_object().get(obj)) return false;
      if (obj.begin() != obj.end() && obj.begin().key() == "_control") return false;  // control records: per line
      ++docs;
    }
    if (docs != b.lines || stream.truncated_bytes() != 0) return false;  // blank lines, or two objects on a line
    std::string& out = out_.buf();
    auto has = [&t](char c) { return std::memchr(t.data(), c, t.size()) != nullptr; };  // SIMD in glibc
    if (!has(' ') && !has('\t') && !has('\r')) {
      out.append(t);
      out.push_back('\n');
    } else {
      su::for_each_line(b, [this](const su::Line& l) { minify(l.text); });
    }
    out_.end_record();
    return true;
  }

  static bool is_blank(std::string_view t) { return t.find_first_not_of(" \t\r") == std::string_view::npos; }

  std::string ndjson(const su::Line& l) {
    simdjson::dom::element obj;
    std::string err = json_.validate(l.text, &obj);
    if (!err.empty()) return err;
    if (su::is_control_line(l.text)) {
      if (control_) minify(l.text);
      return {};
    }
    if (o_.fields.empty() && o_.types.empty()) {
      minify(l.text);
      return {};
    }
    fields_.clear();
    strings_.clear();
    simdjson::dom::object o;
    if (obj.get_object().get(o) != simdjson::SUCCESS) return "not a JSON object";
    for (auto [key, value] : o) {
      su::ParsedField f;
      f.name = key;
      if (value.is_string()) {
        f.text = value.get_string().value_unsafe();
        f.infer = false;
      } else {
        strings_.push_back(simdjson::minify(value));
        f.text = strings_.back();
        f.raw = true;
      }
      fields_.push_back(f);
    }
    return writer_.write(out_.buf(), fields_);
  }

  void minify(std::string_view text) {
    std::string& b = out_.buf();
    size_t at = b.size();
    b.resize(at + text.size() + 1);
    size_t len = 0;
    if (simdjson::minify(text.data(), text.size(), b.data() + at, len) != simdjson::SUCCESS) len = 0;
    b.resize(at + len);
    b.push_back('\n');
  }

  std::string csv(const su::Line& l) {
    std::string err = csv_->split(l.text, cells_);
    if (!err.empty()) return err;
    if (!header_done_) {
      header_done_ = true;
      take_header();
      return {};
    }
    if (names_.empty()) default_names(cells_.size());
    if (cells_.size() != names_.size())
      return "expected " + std::to_string(names_.size()) + " fields, got " + std::to_string(cells_.size());
    fields_.clear();
    for (size_t i = 0; i < cells_.size(); ++i) {
      su::ParsedField f;
      f.name = names_[i];
      f.text = cells_[i].text;
      f.null = cells_[i].text.empty() && !cells_[i].quoted && !o_.no_infer;
      f.infer = !cells_[i].quoted || true;
      fields_.push_back(f);
    }
    return writer_.write(out_.buf(), fields_);
  }

  void take_header() {
    names_.clear();
    for (size_t i = 0; i < cells_.size(); ++i) {
      std::string n(cells_[i].text);
      if (n.empty()) n = "c" + std::to_string(i + 1);
      // Duplicate names would make duplicate JSON keys: number them.
      std::string base = n;
      for (int k = 2; std::find(names_.begin(), names_.end(), n) != names_.end(); ++k) n = base + "_" + std::to_string(k);
      names_.push_back(n);
    }
  }

  void default_names(size_t n) {
    for (size_t i = 0; i < n; ++i) names_.push_back("c" + std::to_string(i + 1));
  }

  const Options& o_;
  su::Output& out_;
  su::Diagnostics& diag_;
  su::RecordWriter writer_;
  bool control_;
  std::string format_;
  std::optional<su::CsvSplitter> csv_;
  bool header_done_ = false;
  std::vector<std::string> names_;
  std::vector<su::CsvField> cells_;
  std::vector<su::ParsedField> fields_;
  std::vector<std::string> strings_;
  std::unique_ptr<su::LineFormat> line_format_;
  su::JsonLineParser json_;
  simdjson::dom::parser stream_parser_;
};

int run(Options& o) {
  if (!o.regex.empty()) {
    if (o.format != "auto" && o.format != "regex") throw su::UsageError("--regex cannot be used with --format " + o.format);
    o.format = "regex";
  } else if (o.format == "regex") {
    throw su::UsageError("--format regex needs --regex PATTERN");
  }
  delimiter_char(o.delimiter, ',');  // a bad --delimiter is a usage error even on empty input
  su::InputReader in(o.common.inputs, o.common.max_line_bytes());
  su::Output out(1);
  su::Diagnostics diag("stream-parse", o.common);
  su::flush_before_block(in, out, diag);
  Parser parser(o, out, diag);
  bool chosen = false;
  if (o.format != "auto") {
    parser.set_format(o.format, in);
    chosen = true;
  }
  su::Line line;
  while (!chosen && in.next(line) == su::ReadStatus::Line) {
    if (line.text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    parser.set_format(sniff(line.text), in);
    chosen = true;
    parser.line(line);
  }
  if (chosen && parser.block_mode()) {
    su::Block block;
    while (in.next_block(block) == su::ReadStatus::Line) parser.block(block);
  } else if (chosen) {
    while (in.next(line) == su::ReadStatus::Line) parser.line(line);
  }
  out.flush();
  diag.finish();
  return diag.exit_status();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Turn raw input (CSV, TSV, NDJSON, logfmt, access logs, syslog, any regex) into NDJSON records.",
               "stream-parse"};
  Options o;
  app.add_option("-f,--format", o.format, format_help())->check(CLI::IsMember(format_names()))->type_name("FORMAT");
  app.add_option("--regex", o.regex, "Parse each line with this RE2 pattern; named groups (?P<name>...) become fields")
      ->type_name("PATTERN");
  app.add_option("-d,--delimiter", o.delimiter, "CSV/TSV field delimiter: one character, or 'tab'")->type_name("CHAR");
  app.add_flag("--no-header", o.no_header, "CSV/TSV input has no header line: fields are named c1, c2, ...");
  app.add_option("--columns", o.columns, "Names for the CSV/TSV columns (implies --no-header)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->type_name("A,B,...");
  app.add_option("--fields", o.fields, "Keep only these fields (in input order)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->type_name("A,B,...");
  app.add_option("--types", o.types, "Types for fields: FIELD:int|float|string|bool,...")->type_name("SPEC");
  app.add_flag("--no-infer", o.no_infer, "Keep every text value a string (no number inference, no nulls)");
  su::add_common_options(app, o.common);
  return su::run_tool(app, argc, argv, [&] { return run(o); });
}
