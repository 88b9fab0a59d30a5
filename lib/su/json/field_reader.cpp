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
constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;

uint64_t load8(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// Copies n bytes from src, in the DOM's padded string buffer, to dst, both
// taken in blocks of 16 bytes (dst has room for them).
void copy_blocks(char* dst, const char* src, size_t n) {
  for (size_t i = 0; i < n; i += 16) std::memcpy(dst + i, src + i, 16);
}

// The high bit of each byte of w that needs an escape in JSON or is outside
// ASCII (and maybe of bytes after such a one: a borrow only carries to higher
// bytes, so bytes past a string's end cannot flag one inside it).
uint64_t needs_escape(uint64_t w) {
  const uint64_t q = w ^ (kOnes * '"'), b = w ^ (kOnes * '\\');
  return (((w - kOnes * 0x20) & ~w) | ((q - kOnes) & ~q) | ((b - kOnes) & ~b) | w) & kHigh;
}

// Copies n bytes in words as copy_blocks does, and tells whether none of them
// needs an escape or is outside ASCII.
bool copy_plain(char* dst, const char* src, size_t n) {
  if (n <= 8) {  // the usual key: one word
    const uint64_t w = load8(src);
    std::memcpy(dst, &w, 8);
    return n == 0 || (needs_escape(w) & (~uint64_t(0) >> (64 - 8 * n))) == 0;
  }
  uint64_t bad = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const uint64_t w = load8(src + i);
    std::memcpy(dst + i, &w, 8);
    bad |= needs_escape(w);
  }
  if (i < n) {
    const uint64_t w = load8(src + i);
    std::memcpy(dst + i, &w, 8);
    bad |= needs_escape(w) & ((uint64_t(1) << (8 * (n - i))) - 1);
  }
  return bad == 0;
}

// The slow parts of take(dom::element), out of its way.
[[gnu::noinline]] void escaped_text(std::string& scratch, std::string_view& text, std::string_view str) {
  scratch.clear();
  append_json_string(scratch, str);
  text = scratch;
}

[[gnu::noinline]] void canonical_text(std::string& scratch, std::string_view& text, const Value& v) {
  scratch.clear();
  append_canonical(scratch, v);
  text = scratch;
}

[[gnu::noinline]] Value other_value(simdjson::dom::element v) {
  using simdjson::dom::element_type;
  switch (v.type()) {
    case element_type::UINT64:
      return Value::real(double(v.get_uint64().value_unsafe()));
    case element_type::BOOL:
      return Value::boolean(v.get_bool().value_unsafe());
    case element_type::NULL_VALUE:
      return Value::null();
    default:  // objects and arrays are not taken; strings, doubles and int64 are taken inline
      return Value::missing();
  }
}

// Are the n bytes at a and b equal? Both are readable in whole words.
bool same_words(const char* a, const char* b, size_t n) {
  for (; n >= 8; n -= 8, a += 8, b += 8)
    if (load8(a) != load8(b)) return false;
  return n == 0 || ((load8(a) ^ load8(b)) & ((uint64_t(1) << (8 * n)) - 1)) == 0;
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
    // Lengths are taken modulo 64 (a shift's count): with a longer name,
    // every length may be one.
    name_lengths_ |= n.size() < 64 ? uint64_t(1) << n.size() : ~uint64_t(0);
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

namespace {
// own() after an On-Demand read: texts and values outside the line (but for
// a text in its slot's scratch) are copied into the slot.
template <class Slots>
[[gnu::noinline]] void own_outside(Slots& slots, std::string_view line) {
  auto inside = [line](std::string_view v) {
    return v.empty() || (v.data() >= line.data() && v.data() + v.size() <= line.data() + line.size());
  };
  for (auto& s : slots) {
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
}  // namespace

void FieldReader::own(std::string_view line) {
  if (!dom_read_) return own_outside(slots_, line);
  // take(dom::element) copied all but the borrowed values.
  for (auto s = slots_.begin(); borrowed_ && s != slots_.end(); ++s) {
    if (!s->present || !s->borrowed) continue;
    const size_t n = s->value.s.size();
    char* d = s->space(n);
    copy_blocks(d, s->value.s.data(), n);
    s->value.s = std::string_view(d, n);
    s->borrowed = false;
    --borrowed_;
  }
  borrowed_ = 0;
}

std::string FieldReader::read(simdjson::ondemand::document& doc) {
  for (auto& s : slots_) s.present = false;  // text and value matter only when present
  dom_read_ = false;
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

void FieldReader::Slot::grow(size_t n) {
  buf.resize(std::max<size_t>(64, (n + 16) * 2));
}

// What take(ondemand::value) makes of the same token, from the DOM's parsed
// value: numbers were parsed by the same rules (integers that fit int64 are
// Int, others double, correctly rounded), and a valid string's text without
// backslashes is exactly its minimal escaping. A string's text is made in
// the slot; a string value without text is borrowed until own().
inline bool FieldReader::take(simdjson::dom::element v, Slot& s) {
  using simdjson::dom::element_type;
  const element_type t = v.type();
  s.present = true;
  s.borrowed = false;
  if (t == element_type::STRING) {
    const std::string_view str = v.get_string().value_unsafe();
    const size_t n = str.size();
    if (!s.need_text) {  // a time, say: read before own(), if at all
      s.text = {};
      s.value = s.need_value ? Value::string(str) : Value::missing();
      s.borrowed = s.need_value;
      borrowed_ += s.need_value;
      return true;
    }
    char* d = s.space(n + 2);
    if (copy_plain(d + 1, str.data(), n)) {  // the usual key: its text is the string in quotes
      d[0] = '"';
      d[n + 1] = '"';
      s.text = std::string_view(d, n + 2);
    } else {
      escaped_text(s.scratch, s.text, str);
    }
    // A key part only: as on the On-Demand path, no value.
    s.value = s.need_value ? Value::string(std::string_view(d + 1, n)) : Value::missing();
    return true;
  }
  if (t == element_type::DOUBLE) {
    s.value = Value::real(v.get_double().value_unsafe());
  } else if (t == element_type::INT64) {
    s.value = Value::integer(v.get_int64().value_unsafe());
  } else if (t == element_type::OBJECT || t == element_type::ARRAY) {
    s.present = false;
    return false;
  } else {
    s.value = other_value(v);
  }
  if (!s.need_text) {
    s.text = {};
  } else {
    canonical_text(s.scratch, s.text, s.value);
  }
  return true;
}

// key is in the DOM's string buffer, which is padded.
bool FieldReader::same_key(const Seen& m, std::string_view key) const {
  if (key.size() != m.len || (load8(key.data()) & m.mask) != m.head) return false;
  return m.len <= 8 || same_words(key.data() + 8, seen_tails_.data() + m.tail, m.len - 8);
}

// The slot of a key not cached at position pos, remembered there.
uint32_t FieldReader::learn_key(size_t pos, std::string_view key) {
  uint32_t slot = kNoSlot;
  for (size_t i = 0; i < plain_.size(); ++i) {
    if (matches(plain_[i], key)) {
      slot = uint32_t(i);
      break;
    }
  }
  if (pos >= kShapeMembers || key.size() >= kShapeTailBytes) return slot;
  if (pos >= shape_.size()) shape_.resize(pos + 1);
  Seen& m = shape_[pos];
  m.len = ~uint32_t(0);  // until the tail is in place
  const size_t tail = key.size() > 8 ? key.size() - 8 : 0;
  if (tail > m.tail_room) {
    const size_t room = (tail + 7) / 8 * 8;
    if (seen_tails_.size() + room > kShapeTailBytes) {
      // Too many shapes: forget every cached tail and start again.
      for (auto& other : shape_) {
        if (other.len != ~uint32_t(0) && other.len > 8) other.len = ~uint32_t(0);
        other.tail_room = 0;
      }
      seen_tails_.clear();
    }
    m.tail = uint32_t(seen_tails_.size());
    m.tail_room = uint32_t(room);
    seen_tails_.resize(seen_tails_.size() + room);
  }
  if (tail) {
    std::memset(seen_tails_.data() + m.tail, 0, m.tail_room);
    std::memcpy(seen_tails_.data() + m.tail, key.data() + 8, tail);
  }
  const size_t k = std::min<size_t>(key.size(), 8);
  m.mask = k == 8 ? ~uint64_t(0) : (uint64_t(1) << (8 * k)) - 1;
  m.head = load8(key.data()) & m.mask;
  m.slot = slot;
  m.len = uint32_t(key.size());
  return slot;
}

std::string FieldReader::read(simdjson::dom::element el) {
  for (auto& s : slots_) s.present = false;
  dom_read_ = true;
  borrowed_ = 0;
  simdjson::dom::object obj;
  if (auto e = el.get_object().get(obj)) return json_error_message(e);
  const bool sample = unfound_ && sampled_records_ < kSampleRecords;
  if (sample)
    for (auto it = obj.begin(), end = obj.end(); it != end; ++it) sample_key(it.key());
  // Kept in locals: the stores into slots could otherwise alias them.
  const uint64_t lengths = name_lengths_;
  const Seen* shape = shape_.data();
  size_t shape_size = shape_.size();
  size_t pos = 0;  // rank among the keys of a wanted name's length
  for (auto it = obj.begin(), end = obj.end(); it != end; ++it) {
    const size_t len = it.key_length();
    if (!((lengths >> (len & 63)) & 1)) continue;
    const std::string_view key(it.key_c_str(), len);
    uint32_t slot;
    if (pos < shape_size && same_key(shape[pos], key)) {
      slot = shape[pos].slot;
    } else {
      slot = learn_key(pos, key);
      shape = shape_.data();
      shape_size = shape_.size();
    }
    ++pos;
    if (slot == kNoSlot) continue;
    Slot& s = slots_[slot];
    if (!take(it.value(), s)) {
      dom_ok_ = false;
      return std::string(kNeedsText);
    }
    if (!s.ever) {  // note_found's work, done here: nothing once all are found
      s.ever = true;
      --unfound_;
    }
  }
  ++records_;
  if (sample) ++sampled_records_;
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
