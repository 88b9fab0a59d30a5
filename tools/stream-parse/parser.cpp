// stream-parse's engine: format choice, NDJSON blocks, CSV rows, log lines.
#include "parser.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>

#include "su/core/error.hpp"
#include "su/core/json_write.hpp"
#include "su/formats/detect.hpp"

namespace su::parse {

char delimiter_char(const std::string& d, char fallback) {
  if (d.empty()) return fallback;
  if (d == "\\t" || d == "tab") return '\t';
  if (d.size() != 1) throw su::UsageError("--delimiter: expected one character, got '" + d + "'");
  if (d[0] == '"' || d[0] == '\n' || d[0] == '\r') throw su::UsageError("--delimiter: cannot be a quote or a newline");
  return d[0];
}

std::string detect(const Options& o, Sample& sample, su::InputReader& in, su::Diagnostics& diag) {
  su::DetectHints hints;
  hints.csv_options = !o.delimiter.empty() || o.no_header || !o.columns.empty();
  if (!o.delimiter.empty()) hints.delimiter = delimiter_char(o.delimiter, ',');
  const size_t used = sample.texts().size();
  if (used == 0) return "line";  // every line over --max-line: rejected in any format
  su::Detection d = su::detect_format(sample.texts(), hints);
  if (!d.format) throw su::UsageError(d.error);
  if (d.format->kind == su::FormatKind::Csv && d.format->dialect.quote) sample.join_quoted(in, d.format->dialect.quote);
  // Said when it cannot be seen from a file name: a pipe, a terminal, a socket.
  struct stat st;
  const bool stdin_input = o.common.inputs.empty() || o.common.inputs.front() == "-";
  if (stdin_input && !(::fstat(0, &st) == 0 && S_ISREG(st.st_mode))) {
    std::string note = "detected --format ";
    note.append(d.format->name);
    if (used == 1) {
      note.append(" from the first line");
    } else {
      note.append(" from the first ");
      note.append(std::to_string(used));
      note.append(" lines");
    }
    diag.warn(note);
  }
  return d.format->name;
}

void Parser::set_format(const std::string& name, su::InputReader& in) {
  const su::FormatInfo* f = su::find_format(name);
  if (!f || f->kind == su::FormatKind::Auto) throw su::UsageError("--format: unknown format '" + name + "'");
  kind_ = f->kind;
  in_ = &in;
  if (kind_ == su::FormatKind::Csv) {
    su::CsvDialect d = f->dialect;
    d.delimiter = delimiter_char(o_.delimiter, f->dialect.delimiter);
    csv_ = su::CsvSplitter(d);
    in.set_quote_aware(d.quote != '\0', d.quote);
    header_done_ = o_.no_header || !o_.columns.empty();
    names_ = o_.columns;
  } else if (kind_ == su::FormatKind::Line) {
    line_format_ = f->make(o_.regex);
  }
}

void Parser::line(const su::Line& l) {
  if (diag_.skip_blank_or_too_long(l)) return;
  std::string reason;
  const size_t before = out_.buf().size();
  switch (kind_) {
    case su::FormatKind::Auto:
      break;  // set_format never leaves it
    case su::FormatKind::Ndjson:
      break;  // the record loop's (read/apply)
    case su::FormatKind::Csv:
      reason = csv(l);
      break;
    case su::FormatKind::Line:
      reason = line_format_->parse(l.text, fields_);
      if (!reason.empty()) break;
      if (o_.no_infer) {  // what the format inferred ("-" as null, a bare key as true) stays text
        for (su::ParsedField& f : fields_) {
          if (f.null || f.raw) f.null = f.raw = f.infer = false;
        }
      }
      reason = writer_.write(out_.buf(), fields_);
      break;
  }
  if (!reason.empty()) return diag_.reject(l, reason);
  if (out_.buf().size() > before) add_source(l.source);  // not a CSV header
  out_.end_record();
  warn_control_rename();
}

void Parser::add_source(std::string_view source) {
  if (o_.source_field.empty()) return;
  std::string& b = out_.buf();
  if (b.size() < 3 || b.back() != '\n' || b[b.size() - 2] != '}') return;  // not a record
  b.resize(b.size() - 2);
  if (b.back() != '{') b.push_back(',');
  su::append_json_string(b, o_.source_field);
  b.push_back(':');
  su::append_json_string(b, source);
  b.append("}\n");
}

void Parser::warn_control_rename() {
  if (writer_.take_control_rename())
    diag_.warn("a field named '" + std::string(su::control::kMember) + "' is written as '" +
               std::string(su::control::kRenamedMember) + "' (data records never begin with it)");
}

void Parser::finish(bool complete) {
  if (!complete) return;  // stopped early: the names may still come
  for (const su::UnseenName& u : writer_.unseen_names()) {
    std::string m = u.option;
    m.append(": no record had a field named '");
    m.append(u.name);
    m.append("'");
    if (!u.closest.empty()) {
      m.append(" (did you mean '");
      m.append(u.closest);
      m.append("'?)");
    }
    diag_.warn(m);
  }
}

su::FieldRules Parser::rules(const Options& o) {
  su::FieldRules r;
  r.infer = !o.no_infer;
  r.keep = o.fields;
  if (!o.types.empty()) r.parse_types(o.types);
  return r;
}

bool Parser::take_block(const su::Block& b) {
  if (selecting() || !o_.source_field.empty()) return false;
  std::string_view t = b.text;
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

void Parser::control(const su::Line& l, const su::control::Record&) {
  if (!control_) return;
  minify(l.text);
  out_.end_record();
}

std::string Parser::apply(const su::Line& l) {
  std::string reason;
  if (selecting()) {
    reason = writer_.write(out_.buf(), fields_);
    warn_control_rename();
  } else {
    minify(l.text);
  }
  if (!reason.empty()) return reason;
  add_source(l.source);
  out_.end_record();
  return reason;
}

std::string Parser::read(const su::Line&, simdjson::ondemand::document& doc) {
  if (!selecting()) return {};
  // Selecting or typing fields: walk the (valid) object with On-Demand, so
  // that numbers and nested values keep their text as written (compacted),
  // as they do when the whole line is copied.
  fields_.clear();
  strings_.clear();
  simdjson::ondemand::object o;
  if (doc.get_object().get(o)) return "not a JSON object";
  for (auto member : o) {
    simdjson::ondemand::field field;
    if (auto e = std::move(member).get(field)) return su::json_error_message(e);
    su::ParsedField f;
    if (auto e = field.unescaped_key().get(f.name)) return su::json_error_message(e);
    simdjson::ondemand::value v = field.value();
    simdjson::ondemand::json_type t;
    if (auto e = v.type().get(t)) return su::json_error_message(e);
    f.infer = false;  // typed by the JSON itself
    std::string_view raw;
    simdjson::error_code e = simdjson::SUCCESS;
    switch (t) {
      case simdjson::ondemand::json_type::string:
        e = v.get_string().get(f.text);
        break;
      case simdjson::ondemand::json_type::object: {
        simdjson::ondemand::object inner;
        if (!(e = v.get_object().get(inner))) e = inner.raw_json().get(raw);
        break;
      }
      case simdjson::ondemand::json_type::array: {
        simdjson::ondemand::array inner;
        if (!(e = v.get_array().get(inner))) e = inner.raw_json().get(raw);
        break;
      }
      default:
        raw = v.raw_json_token();
        break;
    }
    if (e) return su::json_error_message(e);
    if (t != simdjson::ondemand::json_type::string) {
      std::string& text = strings_.emplace_back(raw.size(), '\0');
      size_t len = 0;
      if (simdjson::minify(raw.data(), raw.size(), text.data(), len)) return "invalid JSON";
      text.resize(len);  // drops white space (after a token, or inside a nested value)
      f.text = text;
      f.raw = true;
    }
    fields_.push_back(f);
  }
  return {};
}

void Parser::minify(std::string_view text) {
  std::string& b = out_.buf();
  size_t at = b.size();
  b.resize(at + text.size() + 1);
  size_t len = 0;
  if (simdjson::minify(text.data(), text.size(), b.data() + at, len) != simdjson::SUCCESS) len = 0;
  b.resize(at + len);
  b.push_back('\n');
}

std::string Parser::csv(const su::Line& l) {
  if (l.serial != serial_) switch_source(l.serial, l.number);
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
  // The names stay put from row to row; only the values change. Quoted
  // values are inferred too (spreadsheets quote numbers); an empty unquoted
  // value is null unless --no-infer.
  if (fields_.size() != names_.size() || (!fields_.empty() && fields_[0].name.data() != names_[0].data())) {
    fields_.assign(names_.size(), su::ParsedField{});
    for (size_t i = 0; i < names_.size(); ++i) fields_[i].name = names_[i];
  }
  for (size_t i = 0; i < cells_.size(); ++i) {
    fields_[i].text = cells_[i].text;
    fields_[i].null = cells_[i].text.empty() && !cells_[i].quoted && !o_.no_infer;
  }
  return writer_.write(out_.buf(), fields_);
}

void Parser::switch_source(uint32_t serial, uint64_t number) {
  // A new source (the next file, a rotated one, a connection): its own
  // header. One read from past its start (resumed, or back from another
  // followed file) takes the header from its line 1. Sources read in turn
  // (connections) keep theirs.
  const bool first = serial_ == 0;
  const bool own_header = !o_.no_header && o_.columns.empty();
  if (own_header && in_ && !in_->can_reread()) {
    for (uint32_t s : in_->take_ended_sources()) headers_.erase(s);
    if (!first) headers_[serial_] = Header{header_done_, std::move(names_)};
  }
  serial_ = serial;
  fields_.clear();  // views into names_
  if (!first && own_header) {
    header_done_ = false;
    names_.clear();
    if (auto it = headers_.find(serial); it != headers_.end()) {
      header_done_ = it->second.done;
      names_ = std::move(it->second.names);
      headers_.erase(it);
      return;
    }
  }
  if (!header_done_ && number > 1 && in_ && in_->can_reread()) {  // not a connection: no line 1 to read again
    std::string head = in_->first_line();
    if (csv_->split(head, cells_).empty()) {
      header_done_ = true;
      take_header();
    }
  }
}

void Parser::take_header() {
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

void Parser::default_names(size_t n) {
  for (size_t i = 0; i < n; ++i) names_.push_back("c" + std::to_string(i + 1));
}
}  // namespace su::parse
