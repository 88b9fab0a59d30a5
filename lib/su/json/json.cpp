// simdjson On-Demand wrappers shared by the tools.
#include "su/json/json.hpp"

namespace su {

namespace {
std::string check_object(simdjson::ondemand::document& doc) {
  simdjson::ondemand::json_type t;
  auto err = doc.type().get(t);
  if (err) return json_error_message(err);
  if (t != simdjson::ondemand::json_type::object) return "not a JSON object";
  return {};
}
}  // namespace

std::string JsonLineParser::parse(const Line& line, simdjson::ondemand::document& doc) {
  if (line.capacity >= line.text.size() + simdjson::SIMDJSON_PADDING) {
    auto err = parser_.iterate(line.text.data(), line.text.size(), line.capacity).get(doc);
    if (err) return json_error_message(err);
    return check_object(doc);
  }
  return parse(line.text, doc);
}

std::string JsonLineParser::parse(std::string_view text, simdjson::ondemand::document& doc) {
  copy_ = simdjson::padded_string(text);
  auto err = parser_.iterate(copy_).get(doc);
  if (err) return json_error_message(err);
  return check_object(doc);
}

std::string JsonLineParser::validate(std::string_view text, simdjson::dom::element* obj) {
  simdjson::dom::element el;
  // The DOM parser validates the whole document (and UTF-8).
  auto err = dom_.parse(text.data(), text.size(), true).get(el);
  if (err) return json_error_message(err);
  if (!el.is_object()) return "not a JSON object";
  if (obj) *obj = el;
  return {};
}

simdjson::error_code to_value(simdjson::ondemand::value v, Value& out) {
  using simdjson::ondemand::json_type;
  json_type t;
  if (auto e = v.type().get(t)) return e;
  switch (t) {
    case json_type::null: {
      bool is_null = false;
      if (auto e = v.is_null().get(is_null)) return e;
      out = Value::null();
      return simdjson::SUCCESS;
    }
    case json_type::boolean: {
      bool b;
      if (auto e = v.get_bool().get(b)) return e;
      out = Value::boolean(b);
      return simdjson::SUCCESS;
    }
    case json_type::number: {
      simdjson::ondemand::number num;
      if (auto e = v.get_number().get(num)) {
        // Integers beyond 64 bits: fall back to a double.
        double d;
        if (v.get_double().get(d)) return e;
        out = Value::real(d);
        return simdjson::SUCCESS;
      }
      if (num.is_int64())
        out = Value::integer(num.get_int64());
      else if (num.is_uint64())
        out = Value::real(double(num.get_uint64()));
      else
        out = Value::real(num.get_double());
      return simdjson::SUCCESS;
    }
    case json_type::string: {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return e;
      out = Value::string(s);
      return simdjson::SUCCESS;
    }
    case json_type::object:
    case json_type::array: {
      std::string_view raw;
      if (t == json_type::object) {
        simdjson::ondemand::object o;
        if (auto e = v.get_object().get(o)) return e;
        if (auto e = o.raw_json().get(raw)) return e;
      } else {
        simdjson::ondemand::array a;
        if (auto e = v.get_array().get(a)) return e;
        if (auto e = a.raw_json().get(raw)) return e;
      }
      while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\t' || raw.back() == '\r'))
        raw.remove_suffix(1);
      out = Value::json(raw);
      return simdjson::SUCCESS;
    }
  }
  return simdjson::INCORRECT_TYPE;
}

std::string json_error_message(simdjson::error_code e) {
  std::string m = simdjson::error_message(e);
  // simdjson's messages are sentences; keep them short and lowercase.
  // "The JSON document has an improper structure: missing or ..." -> the head.
  if (auto p = m.find(':'); p != std::string::npos) m = m.substr(0, p);
  // Lowercase a sentence's first word, not an acronym ("JSON document ...").
  if (m.size() > 1 && std::islower(static_cast<unsigned char>(m[1])))
    m[0] = char(std::tolower(static_cast<unsigned char>(m[0])));
  while (!m.empty() && (m.back() == '.' || m.back() == ' ')) m.pop_back();
  return "invalid JSON: " + m;
}

}  // namespace su
