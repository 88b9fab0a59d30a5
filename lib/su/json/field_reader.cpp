// One pass over an NDJSON object, picking out the wanted fields.
#include "su/json/field_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "su/core/json_write.hpp"
#include "su/core/suggest.hpp"

namespace su {

namespace {
std::string_view trim_right(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}
}  // namespace

FieldReader::FieldReader(std::vector<std::string> names) : slots_(names.size()), unfound_(names.size()) {
  for (const auto& n : names) {
    Name nm;
    std::string e;
    append_json_string(e, n);  // "name" escaped, with its quotes
    nm.escaped = e.substr(1, e.size() - 2);
    std::string head = e.substr(1);
    size_t k = std::min<size_t>(head.size(), 8);
    std::memcpy(&nm.prefix, head.data(), k);
    nm.mask = k == 8 ? ~uint64_t(0) : (uint64_t(1) << (8 * k)) - 1;
    nm.short_name = head.size() <= 8;
    names_.push_back(nm);
    Plain pl;
    pl.name = n;
    size_t m = std::min<size_t>(n.size(), 8);
    std::memcpy(&pl.prefix, n.data(), m);
    pl.mask = m == 8 ? ~uint64_t(0) : (uint64_t(1) << (8 * m)) - 1;
    plain_.push_back(std::move(pl));
  }
}

// raw points just after the key's opening quote, inside the padded line.
bool FieldReader::matches(const Name& n, const char* raw) const {
  uint64_t head;
  std::memcpy(&head, raw, 8);
  if ((head & n.mask) != n.prefix) return false;
  if (n.short_name) return true;
  const size_t len = n.escaped.size();
  return std::memcmp(raw + 8, n.escaped.data() + 8, len - 8) == 0 && raw[len] == '"';
}

// key is in the DOM's string buffer, which has padding after its last string.
bool FieldReader::matches(const Plain& n, std::string_view key) const {
  if (key.size() != n.name.size()) return false;
  uint64_t head;
  std::memcpy(&head, key.data(), 8);
  if ((head & n.mask) != n.prefix) return false;
  return key.size() <= 8 || std::memcmp(key.data() + 8, n.name.data() + 8, key.size() - 8) == 0;
}

std::string FieldReader::take(simdjson::ondemand::value v, Slot& s) {
  using simdjson::ondemand::json_type;
  if (!s.need_text) {
    json_type t;
    if (auto e = v.type().get(t)) return json_error_message(e);
    if (t == json_type::string) {  // the usual time field: no detour through to_value
      std::string_view str;
      if (auto e = v.get_string().get(str)) return json_error_message(e);
      s.value = Value::string(str);
    } else if (auto e = to_value(v, s.value)) {
      return json_error_message(e);
    }
    s.text = {};
    s.present = true;
    return {};
  }
  json_type t;
  if (auto e = v.type().get(t)) return json_error_message(e);
  std::string_view raw;
  if (t != json_type::object && t != json_type::array) raw = trim_right(v.raw_json_token());
  if (!s.need_value && t == json_type::string && raw.find('\\') == std::string_view::npos) {
    // A key part only: the token is its text (stage 1 checked UTF-8 and quotes).
    s.value = Value::missing();
    s.text = raw;
    s.present = true;
    return {};
  }
  if (t == json_type::number) {
    // The token is already isolated: parse it directly (JSON syntax checked).
    if (auto n = parse_number(raw)) {
      s.value = *n;
      s.present = true;
      // Equal numbers have equal text (1.0, 1e0 and 1 are `1`; -0 is `0`).
      if (is_canonical_number(raw, s.value) || !std::isfinite(s.value.as_double())) {
        s.text = raw;
      } else {
        s.scratch.clear();
        append_canonical(s.scratch, s.value);
        s.text = s.scratch;
      }
      return {};
    }
  }
  if (auto e = to_value(v, s.value)) return json_error_message(e);
  if (t == json_type::object || t == json_type::array) {
    s.text = s.value.s;
  } else if (t == json_type::string && raw.find('\\') != std::string_view::npos) {
    s.scratch.clear();
    append_json_string(s.scratch, s.value.s);
    s.text = s.scratch;
  } else {
    s.text = raw;
  }
  s.present = true;
  return {};
}

std::string FieldReader::read(const Line& line) {
  std::string err = parser_.parse(line, doc_);
  if (!err.empty()) return err;
  return read(doc_);
}

void FieldReader::own(std::string_view line) {
  auto inside = [line](std::string_view v) {
    return v.empty() || (v.data() >= line.data() && v.data() + v.size() <= line.data() + line.size());
  };
  for (auto& s : slots_) {
    if (!s.present) continue;
    if (!inside(s.text) && s.text.data() != s.scratch.data()) {
      s.owned_text.assign(s.text);
      s.text = s.owned_text;
    }
    if ((s.value.kind == Value::Kind::String || s.value.kind == Value::Kind::Json) && !inside(s.value.s)) {
      s.owned_value.assign(s.value.s);
      s.value.s = s.owned_value;
    }
  }
}

std::string FieldReader::read(simdjson::ondemand::document& doc) {
  for (auto& s : slots_) s.present = false;  // text and value matter only when present
  simdjson::ondemand::object obj;
  if (auto e = doc.get_object().get(obj)) return json_error_message(e);
  // A name given twice in one object: the last member counts (as JSON.parse
  // and jq read it), so the whole object is walked.
  const size_t n = names_.size();
  const bool sample = unfound_ && sampled_records_ < kSampleRecords;
  for (auto member : obj) {
    simdjson::ondemand::field f;
    if (auto e = std::move(member).get(f)) return json_error_message(e);
    const char* raw = f.key().raw();
    for (size_t i = 0; i < n; ++i) {
      if (!matches(names_[i], raw)) continue;
      std::string err = take(f.value(), slots_[i]);
      if (!err.empty()) return err;
      break;
    }
    if (sample) sample_key(f);
  }
  ++records_;
  if (unfound_) note_found(sample);
  return {};
}

void FieldReader::sample_key(simdjson::ondemand::field& f) {
  if (seen_.size() >= kSeenNames) return;
  std::string_view key;
  if (f.unescaped_key().get(key)) return;
  sample_key(key);
}

void FieldReader::sample_key(std::string_view key) {
  if (seen_.size() >= kSeenNames) return;
  if (std::find(seen_.begin(), seen_.end(), key) == seen_.end()) seen_.emplace_back(key);
}

namespace {
// No byte of s needs an escape or is outside ASCII. s is in the DOM's string
// buffer, which is padded: its last word is read whole and masked.
bool plain_ascii(std::string_view s) {
  constexpr uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
  const char* p = s.data();
  for (size_t left = s.size(); left > 0;) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    uint64_t keep = high;
    if (left < 8) {
      keep = high & ((uint64_t(1) << (8 * left)) - 1);
      w |= ~((uint64_t(1) << (8 * left)) - 1) & (ones * 'a');  // past the end: plain bytes
    }
    const uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
    if ((((w - ones * 0x20) & ~w) | ((q - ones) & ~q) | ((b - ones) & ~b) | w) & keep) return false;
    const size_t step = left < 8 ? left : 8;
    p += step;
    left -= step;
  }
  return true;
}
}  // namespace

// What take(ondemand::value) makes of the same token, from the DOM's parsed
// value: numbers were parsed by the same rules (integers that fit int64 are
// Int, others double, correctly rounded), and a valid string's text without
// backslashes is exactly its minimal escaping.
bool FieldReader::take(simdjson::dom::element v, Slot& s) {
  using simdjson::dom::element_type;
  switch (v.type()) {
    case element_type::OBJECT:
    case element_type::ARRAY:
      return false;
    case element_type::STRING: {
      std::string_view str = v.get_string().value_unsafe();
      // A key part only: as on the On-Demand path, no value (nothing to own).
      s.value = s.need_value ? Value::string(str) : Value::missing();
      if (s.need_text) {
        s.scratch.clear();
        if (plain_ascii(str)) {  // the usual key: its text is the string in quotes
          s.scratch.reserve(str.size() + 2);
          s.scratch.push_back('"');
          s.scratch.append(str);
          s.scratch.push_back('"');
        } else {
          append_json_string(s.scratch, str);
        }
        s.text = s.scratch;
      }
      break;
    }
    case element_type::INT64:
      s.value = Value::integer(v.get_int64().value_unsafe());
      break;
    case element_type::UINT64:
      s.value = Value::real(double(v.get_uint64().value_unsafe()));
      break;
    case element_type::DOUBLE:
      s.value = Value::real(v.get_double().value_unsafe());
      break;
    case element_type::BOOL:
      s.value = Value::boolean(v.get_bool().value_unsafe());
      break;
    case element_type::NULL_VALUE:
      s.value = Value::null();
      break;
  }
  if (!s.need_text) {
    s.text = {};
  } else if (v.type() != element_type::STRING) {
    s.scratch.clear();
    append_canonical(s.scratch, s.value);
    s.text = s.scratch;
  }
  s.present = true;
  return true;
}

std::string FieldReader::read(simdjson::dom::element el) {
  for (auto& s : slots_) s.present = false;
  simdjson::dom::object obj;
  if (auto e = el.get_object().get(obj)) return json_error_message(e);
  const size_t n = names_.size();
  const bool sample = unfound_ && sampled_records_ < kSampleRecords;
  for (auto [key, value] : obj) {
    for (size_t i = 0; i < n; ++i) {
      if (!matches(plain_[i], key)) continue;
      if (!take(value, slots_[i])) {
        dom_ok_ = false;
        return std::string(kNeedsText);
      }
      break;
    }
    if (sample) sample_key(key);
  }
  ++records_;
  if (unfound_) note_found(sample);
  return {};
}

void FieldReader::note_found(bool sampled) {
  sampled_records_ += sampled;
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].present && !slots_[i].ever) {
      slots_[i].ever = true;
      --unfound_;
    }
  }
}

std::string FieldReader::never_found_warning(size_t i, std::string_view name) const {
  if (records_ == 0 || slots_[i].ever) return {};
  std::string w = "no record had field '";
  w.append(name);
  w.push_back('\'');
  const size_t dot = name.find('.');
  if (dot != std::string_view::npos && dot > 0 &&
      std::find(seen_.begin(), seen_.end(), name.substr(0, dot)) != seen_.end()) {
    w.append(" (names are top-level members: '");
    w.append(name.substr(0, dot));
    w.append("' is not looked into; flatten it first, e.g. with jq)");
  } else if (auto close = closest_name(name, seen_)) {
    w.append(" (did you mean '");
    w.append(*close);
    w.append("'?)");
  }
  return w;
}

std::string FieldReader::members(const Line& line, std::vector<std::pair<std::string, std::string>>& out) {
  out.clear();
  std::string err = parser_.parse(line, doc_);
  if (!err.empty()) return err;
  simdjson::ondemand::object obj;
  if (auto e = doc_.get_object().get(obj)) return json_error_message(e);
  Slot s;
  for (auto member : obj) {
    simdjson::ondemand::field f;
    if (auto e = std::move(member).get(f)) return json_error_message(e);
    std::string_view name;
    if (auto e = f.unescaped_key().get(name)) return json_error_message(e);
    std::string key(name);
    err = take(f.value(), s);
    if (!err.empty()) return err;
    out.emplace_back(std::move(key), std::string(s.text));
  }
  return {};
}

}  // namespace su
