// Line handling of the sink: parse with simdjson On-Demand into bindable
// values for the SQLite thread (pipeline.hpp); control records commit; --tee
// passes lines on.
// A block of lines goes through one iterate_many pass (one stage 1 for all
// of them instead of one per line); any line it cannot vouch for, and every
// line after it, takes the per-line path, so rejects name their exact line.
#include "sink.hpp"

#include <algorithm>

namespace sink {
namespace {

// Fills `fields` from one On-Demand document (a document or a stream's
// document_reference); returns "" or a reject reason.
template <class Doc>
std::string read_fields(Doc& doc, std::vector<Field>& fields) {
  fields.clear();
  simdjson::ondemand::object obj;
  if (auto e = doc.get_object().get(obj)) return su::json_error_message(e);
  for (auto&& member : obj) {
    simdjson::ondemand::field f;
    if (auto e = std::move(member).get(f)) return su::json_error_message(e);
    Field& out = fields.emplace_back();
    if (auto e = f.unescaped_key().get(out.name)) return su::json_error_message(e);
    if (auto e = su::to_value(f.value(), out.value)) return su::json_error_message(e);
  }
  return {};
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Below this many lines a block is parsed line by line.
constexpr uint64_t kMinBlockLines = 4;
// iterate_many's window: bounds the parser's memory, not the block size.
constexpr size_t kManyBatch = size_t(1) << 20;

}  // namespace

Sink::Sink(const SinkOptions& o, Pipeline& rows, su::Output& out) : o_(o), rows_(rows), out_(out) {}

void Sink::block(const su::Block& b) {
  uint64_t done = 0;
  if (b.lines >= kMinBlockLines && !b.too_long && b.capacity >= b.text.size() + simdjson::SIMDJSON_PADDING)
    done = fast_block(b);
  if (done < b.lines) {
    su::for_each_line(b, [&](const su::Line& l) {
      if (l.number >= b.first_line + done) line(l);
    });
  }
  rows_.end_block();
}

uint64_t Sink::fast_block(const su::Block& b) {
  simdjson::ondemand::document_stream stream;
  size_t window = std::min(std::max(b.text.size(), size_t(4096)), kManyBatch);
  if (many_.iterate_many(b.text.data(), b.text.size(), window).get(stream)) return 0;
  auto it = stream.begin();
  uint64_t done = 0;
  su::for_each_line(b, [&](const su::Line& l) {
    if (done != l.number - b.first_line) return;  // fell back at an earlier line
    if (su::is_blank(l.text)) {
      ++done;
      return;
    }
    // The next document must start at this line's first non-blank byte and
    // end with it (nothing but blanks after it).
    if (!(it != stream.end()) || it.error()) return;
    size_t start = size_t(l.text.data() - b.text.data());
    size_t lead = 0;
    while (lead < l.text.size() && is_space(l.text[lead])) ++lead;
    if (it.current_index() != start + lead || l.text[lead] != '{') return;
    std::string_view src = it.source();
    if (src.size() > l.text.size() - lead) return;
    for (size_t i = lead + src.size(); i < l.text.size(); ++i)
      if (!is_space(l.text[i])) return;
    if (su::is_control_line(l.text)) {
      control(l);
    } else {
      simdjson::ondemand::document_reference ref;
      if ((*it).get(ref) || !read_fields(ref, fields_).empty()) return;  // the line path says why
      record(l);
    }
    ++done;
    ++it;
  });
  return done;
}

void Sink::line(const su::Line& l) {
  if (l.too_long) return reject(l, "line longer than --max-line (" + o_.max_line + ")");
  if (su::is_blank(l.text)) return;
  if (su::is_control_line(l.text)) return control(l);
  std::string reason = parse(l);
  if (!reason.empty()) return reject(l, reason);
  record(l);
}

void Sink::record(const su::Line& l) {
  if (o_.tee) tee(l.text);
  rows_.add(fields_, l);
}

std::string Sink::parse(const su::Line& l) {
  std::string err = json_.parse(l, doc_);
  if (!err.empty()) return err;
  err = read_fields(doc_, fields_);
  if (!err.empty()) return err;
  // Anything after the closing brace makes the line invalid.
  if (!doc_.current_location().error()) return "invalid JSON: content after the object";
  return {};
}

void Sink::control(const su::Line& l) {
  simdjson::dom::element rec;
  std::string err = json_.validate(l.text, &rec);
  if (!err.empty()) return reject(l, err);
  if (o_.tee && o_.tee_control) tee(l.text);
  std::string_view kind;
  if (rec["_control"].get_string().get(kind) == simdjson::SUCCESS && kind == "close") rows_.commit();
}

void Sink::reject(const su::Line& l, std::string_view reason) {
  rows_.reject(l, reason);
}

void Sink::tee(std::string_view text) {
  out_.write(text);
  out_.put('\n');
  out_.end_record();
}

}  // namespace sink
