// Time and key fields of a record through simdjson On-Demand.
#include "record.hpp"

#include "su/output.hpp"

namespace window_tool {
namespace {
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// The raw JSON text of a value, for keys and messages.
simdjson::error_code raw_text(simdjson::ondemand::value v, std::string_view& out) {
  simdjson::ondemand::json_type t;
  if (auto e = v.type().get(t)) return e;
  if (t == simdjson::ondemand::json_type::object) {
    simdjson::ondemand::object o;
    if (auto e = v.get_object().get(o)) return e;
    if (auto e = o.raw_json().get(out)) return e;
  } else if (t == simdjson::ondemand::json_type::array) {
    simdjson::ondemand::array a;
    if (auto e = v.get_array().get(a)) return e;
    if (auto e = a.raw_json().get(out)) return e;
  } else {
    out = v.raw_json_token();
  }
  out = trim(out);
  return simdjson::SUCCESS;
}
}  // namespace

RecordReader::RecordReader(std::string time_field, std::vector<std::string> by, su::TimeParser parser)
    : time_field_(std::move(time_field)), by_(std::move(by)), parser_(std::move(parser)) {
  for (const std::string& f : by_) {
    std::string p;
    su::append_json_string(p, f);
    p.push_back(':');
    by_prefix_.push_back(std::move(p));
  }
}

std::string RecordReader::read(const su::Line& line, int64_t* time) {
  std::string err = json_.parse(line, doc_);
  if (!err.empty()) return err;
  return read_object(line, doc_, time);
}

std::string RecordReader::read(const su::Line& line, simdjson::ondemand::document& doc, int64_t* time) {
  simdjson::ondemand::json_type t;
  if (auto e = doc.type().get(t)) return su::json_error_message(e);
  if (t != simdjson::ondemand::json_type::object) return "not a JSON object";
  return read_object(line, doc, time);
}

std::string RecordReader::read_object(const su::Line& line, simdjson::ondemand::document& doc, int64_t* time) {
  if (trim(line.text).back() != '}') return "invalid JSON: trailing content after the object";
  simdjson::ondemand::object obj;
  if (auto e = doc.get_object().get(obj)) return su::json_error_message(e);
  if (!time_field_.empty()) {
    std::string err = read_time(obj, time);
    if (!err.empty()) return err;
  }
  if (!by_.empty()) return read_key(obj);
  return {};
}

std::string RecordReader::read_time(simdjson::ondemand::object& obj, int64_t* time) {
  simdjson::ondemand::value v;
  auto e = obj.find_field_unordered(time_field_).get(v);
  if (e == simdjson::NO_SUCH_FIELD) return "missing time field '" + time_field_ + "'";
  if (e) return su::json_error_message(e);
  simdjson::ondemand::json_type t;
  if (auto te = v.type().get(t)) return su::json_error_message(te);
  std::optional<int64_t> parsed;
  if (t == simdjson::ondemand::json_type::string) {
    std::string_view s;
    if (auto se = v.get_string().get(s)) return su::json_error_message(se);
    if ((parsed = parser_.parse(s))) return *time = *parsed, std::string();
    return "time field '" + time_field_ + "': cannot read \"" + std::string(s) + "\" as a time";
  }
  if (t == simdjson::ondemand::json_type::number) {
    simdjson::ondemand::number n;
    if (v.get_number().get(n) == simdjson::SUCCESS) {
      parsed = n.is_int64() ? parser_.parse(n.get_int64()) : parser_.parse(n.as_double());
      if (parsed) return *time = *parsed, std::string();
    }
  }
  std::string_view raw;
  if (raw_text(v, raw)) raw = "?";
  return "time field '" + time_field_ + "': cannot read " + std::string(raw) + " as a time";
}

std::string RecordReader::read_key(simdjson::ondemand::object& obj) {
  key_.clear();
  for (size_t i = 0; i < by_.size(); ++i) {
    if (i) key_.push_back(',');
    key_.append(by_prefix_[i]);
    simdjson::ondemand::value v;
    auto e = obj.find_field_unordered(by_[i]).get(v);
    if (e == simdjson::NO_SUCH_FIELD) {
      key_.append("null");  // a missing key field is a key of its own
      continue;
    }
    std::string_view raw;
    if (!e) e = raw_text(v, raw);
    if (e) return su::json_error_message(e);
    key_.append(raw);
  }
  return {};
}

}  // namespace window_tool
