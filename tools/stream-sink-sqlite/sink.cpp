// Line handling of the sink: parse with simdjson On-Demand straight into
// bindable values, no copies; control records commit; --tee passes lines on.
#include "sink.hpp"

namespace sink {

void Sink::line(const su::Line& l) {
  if (l.too_long) return diag_.reject(l, "line longer than --max-line (" + o_.max_line + ")");
  if (l.text.find_first_not_of(" \t\r") == std::string_view::npos) return;  // blank
  if (su::is_control_line(l.text)) return control(l);
  std::string reason = parse(l);
  if (!reason.empty()) return diag_.reject(l, reason);
  if (o_.tee) tee(l.text);
  reason = writer_.write(fields_);
  if (!reason.empty()) diag_.reject(l, reason);
}

std::string Sink::parse(const su::Line& l) {
  std::string err = json_.parse(l, doc_);
  if (!err.empty()) return err;
  fields_.clear();
  simdjson::ondemand::object obj;
  if (auto e = doc_.get_object().get(obj)) return su::json_error_message(e);
  for (auto&& member : obj) {
    simdjson::ondemand::field f;
    if (auto e = std::move(member).get(f)) return su::json_error_message(e);
    Field out;
    if (auto e = f.unescaped_key().get(out.name)) return su::json_error_message(e);
    if (auto e = su::to_value(f.value(), out.value)) return su::json_error_message(e);
    fields_.push_back(out);
  }
  // Anything after the closing brace makes the line invalid.
  if (!doc_.current_location().error()) return "invalid JSON: content after the object";
  return {};
}

void Sink::control(const su::Line& l) {
  simdjson::dom::element rec;
  std::string err = json_.validate(l.text, &rec);
  if (!err.empty()) return diag_.reject(l, err);
  if (o_.tee && o_.tee_control) tee(l.text);
  std::string_view kind;
  if (rec["_control"].get_string().get(kind) == simdjson::SUCCESS && kind == "close") writer_.commit();
}

void Sink::tee(std::string_view text) {
  out_.write(text);
  out_.put('\n');
  out_.end_record();
}

}  // namespace sink
