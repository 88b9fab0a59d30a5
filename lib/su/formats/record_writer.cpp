// Value inference and typing for stream-parse's records.
#include "su/formats/record_writer.hpp"

#include <fast_float/fast_float.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#if defined(__x86_64__)
#include <emmintrin.h>
#endif

#include "su/core/error.hpp"
#include "su/core/json_write.hpp"
#include "su/core/suggest.hpp"
#include "su/core/value.hpp"
#include "su/json/control.hpp"

namespace su {

void FieldRules::parse_types(const std::string& spec) {
  size_t start = 0;
  while (start <= spec.size()) {
    size_t end = spec.find(',', start);
    if (end == std::string::npos) end = spec.size();
    std::string item = spec.substr(start, end - start);
    size_t colon = item.rfind(':');
    if (colon == std::string::npos || colon == 0) throw UsageError("--types: expected FIELD:TYPE, got '" + item + "'");
    std::string name = item.substr(0, colon), t = item.substr(colon + 1);
    FieldType ft;
    if (t == "int")
      ft = FieldType::Int;
    else if (t == "float")
      ft = FieldType::Float;
    else if (t == "string")
      ft = FieldType::String;
    else if (t == "bool")
      ft = FieldType::Bool;
    else
      throw UsageError("--types: unknown type '" + t + "' for field '" + name + "' (int, float, string, bool)");
    types[name] = ft;
    type_order_.push_back(name);
    start = end + 1;
  }
}

std::vector<std::pair<std::string, std::string>> FieldRules::named() const {
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&out](const std::string& name, const char* option) {
    for (const auto& n : out)
      if (n.first == name) return;
    out.emplace_back(name, option);
  };
  for (const std::string& n : keep) add(n, "--fields");
  for (const std::string& n : type_order_) add(n, "--types");
  return out;
}

RecordWriter::RecordWriter(FieldRules rules)
    : rules_(std::move(rules)), named_(rules_.named()), named_seen_(named_.size(), false) {}

std::vector<UnseenName> RecordWriter::unseen_names() const {
  std::vector<UnseenName> out;
  if (seen_.empty()) return out;  // no record: nothing to compare with
  for (size_t i = 0; i < named_.size(); ++i) {
    if (named_seen_[i]) continue;
    UnseenName u{named_[i].second, named_[i].first, {}};
    if (auto c = closest_name(u.name, seen_)) u.closest = *c;
    out.push_back(std::move(u));
  }
  return out;
}

namespace {
std::string type_error(std::string_view name, std::string_view want, std::string_view text) {
  return "field '" + std::string(name) + "': expected " + std::string(want) + ", got '" + std::string(text) + "'";
}

// Whether the 16 bytes at p can be loaded: they stay inside p's page, so the
// load cannot fault even past the end of a text (those bytes are masked off
// or overwritten). Functions that do it are exempt from ASan.
inline bool can_load16(const char* p) {
  return (reinterpret_cast<uintptr_t>(p) & 4095) <= 4096 - 16;
}

#if defined(__x86_64__)
// Bit i set when byte i needs escaping or is not ASCII (< 0x20 or >= 0x80 as
// a signed compare, a quote, a backslash). SSE2: the x86-64 baseline.
__attribute__((always_inline)) inline unsigned escape_mask(const char* p) {
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i bad =
      _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)),
                   _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))));
  return unsigned(_mm_movemask_epi8(bad));
}
#endif

// True when s is ASCII with nothing to escape in JSON (no control byte, quote
// or backslash): it can be copied between quotes as is.
__attribute__((no_sanitize("address"))) bool plain_json_text(std::string_view s) {
  const char* p = s.data();
  const size_t n = s.size();
  size_t i = 0;
#if defined(__x86_64__)
  for (; i + 16 <= n; i += 16)
    if (escape_mask(p + i)) return false;
  if (i < n && can_load16(p + i)) return (escape_mask(p + i) & ((1u << (n - i)) - 1)) == 0;
#endif
  for (; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(p[i]);
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') return false;
  }
  return true;
}

// Copies n bytes to d, which has at least 32 bytes of room past d + n: short
// texts move as one or two 16-byte blocks instead of a call to memcpy.
__attribute__((no_sanitize("address"))) inline void copy_text(char* d, const char* s, size_t n) {
  if (n == 0) return;  // an empty view may point anywhere (even nullptr): no load
#if defined(__x86_64__)
  if (n <= 32 && (reinterpret_cast<uintptr_t>(s) & 4095) <= 4096 - 32) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d), _mm_loadu_si128(reinterpret_cast<const __m128i*>(s)));
    if (n > 16)
      _mm_storeu_si128(reinterpret_cast<__m128i*>(d + 16), _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + 16)));
    return;
  }
#endif
  std::memcpy(d, s, n);
}

// Short names: word compares (the last word overlapping) beat a call to memcmp.
inline uint64_t load64(const char* p) {
  uint64_t x;
  std::memcpy(&x, p, 8);
  return x;
}
inline uint32_t load32(const char* p) {
  uint32_t x;
  std::memcpy(&x, p, 4);
  return x;
}
inline bool same_text(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char *p = a.data(), *q = b.data();
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8)
      if (load64(p + i) != load64(q + i)) return false;
    return load64(p + n - 8) == load64(q + n - 8);
  }
  if (n >= 4) return load32(p) == load32(q) && load32(p + n - 4) == load32(q + n - 4);
  for (size_t i = 0; i < n; ++i)
    if (p[i] != q[i]) return false;
  return true;
}

// append_json_string with a fast path for the common plain ASCII text.
void append_text(std::string& out, std::string_view t) {
  if (!plain_json_text(t)) return append_json_string(out, t);
  out.push_back('"');
  out.append(t);
  out.push_back('"');
}

// An inferred value: a number that every tool reads back keeps its text as
// written ("51.0", "1e3", "-0"), in every input format, as NDJSON input does;
// anything else is a string, including number-like text that is not JSON
// ("+5", "007") or is out of range ("18446744073709551616", "1e400").
void append_inferred(std::string& out, std::string_view t) {
  if (classify_number_text(t) == NumberText::Number)
    out.append(t);
  else
    append_text(out, t);
}

// --types FIELD:float: a JSON number that is not integral is kept as written;
// any other number is converted ("+5", ".5", "51") and written with a
// fraction or an exponent ("51.0"), so that every reader sees a float.
bool append_float(std::string& out, std::string_view t) {
  bool integral = false;
  if (is_json_number(t, &integral) && !integral && classify_number_text(t) == NumberText::Number) {
    out.append(t);
    return true;
  }
  double d;
  std::string_view u = t.front() == '+' ? t.substr(1) : t;
  auto r = fast_float::from_chars(u.data(), u.data() + u.size(), d);
  if (r.ec != std::errc() || r.ptr != u.data() + u.size()) return false;
  const size_t at = out.size();
  append_double(out, d);
  if (out.find_first_of(".en", at) == std::string::npos) out.append(".0");  // "null": not finite
  return true;
}
}  // namespace

const RecordWriter::Key& RecordWriter::key_for(size_t i, std::string_view name) {
  Key& k = keys_[i];
  if (k.valid && same_text(k.name, name)) return k;
  // A new name at this position (the header of CSV stays put; other formats
  // may vary): escape it once and look up its rules once.
  k.valid = true;
  k.name.assign(name);
  k.json.clear();
  // A data record never carries the control member (CONTRACT 3): renamed.
  const bool control_name = name == control::kMember;
  append_json_string(k.json, control_name ? control::kRenamedMember : name);
  k.json.push_back(':');
  renamed_control_ |= control_name;
  k.keep = rules_.keep.empty() || std::find(rules_.keep.begin(), rules_.keep.end(), name) != rules_.keep.end();
  auto it = rules_.types.find(k.name);
  k.type = it == rules_.types.end() ? FieldType::Infer : it->second;
  // For the warning about names of --fields/--types that no record had.
  for (size_t j = 0; j < named_.size(); ++j)
    if (named_[j].first == k.name) named_seen_[j] = true;
  if (seen_.size() < kMaxSeen && seen_set_.insert(k.name).second) seen_.push_back(k.name);
  return k;
}

// The general path for one value (after its key): every type rule, escaping
// and number conversion. Returns a reject reason or an empty string.
std::string RecordWriter::append_value(std::string& out, const ParsedField& f, FieldType ft) const {
  const std::string_view t = f.text;
  if (f.null) {
    out.append("null");
    return {};
  }
  if (f.raw && ft == FieldType::Infer) {  // already JSON (a bare logfmt key, a nested object)
    out.append(t);
    return {};
  }
  switch (ft) {
    case FieldType::Infer:
      if (!rules_.infer || !f.infer)
        append_text(out, t);
      else
        append_inferred(out, t);
      break;
    case FieldType::String:
      append_text(out, t);
      break;
    case FieldType::Int: {
      if (t.empty()) {
        out.append("null");
        break;
      }
      int64_t v;
      std::string_view u = t.front() == '+' ? t.substr(1) : t;
      auto r = std::from_chars(u.data(), u.data() + u.size(), v);
      if (r.ec != std::errc() || r.ptr != u.data() + u.size()) {
        return type_error(f.name, "int", t);
      }
      append_int(out, v);
      break;
    }
    case FieldType::Float: {
      if (t.empty()) {
        out.append("null");
        break;
      }
      if (!append_float(out, t)) return type_error(f.name, "float", t);
      break;
    }
    case FieldType::Bool: {
      std::string lower(t);
      for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "true" || lower == "1" || lower == "yes" || lower == "y" || lower == "t")
        out.append("true");
      else if (lower == "false" || lower == "0" || lower == "no" || lower == "n" || lower == "f")
        out.append("false");
      else if (lower.empty())
        out.append("null");
      else {
        return type_error(f.name, "bool", t);
      }
      break;
    }
  }
  return {};
}

// The fast path writes into room made up front (an upper bound for plain
// values), with one resize instead of an append per piece; anything that is
// not plain text or a canonical number goes through append_value.
std::string RecordWriter::write(std::string& out, const std::vector<ParsedField>& fields) {
  const size_t mark = out.size();
  const size_t n = fields.size();
  if (keys_.size() < n) keys_.resize(n);
  if (slots_.size() < n) slots_.resize(n);
  constexpr size_t kSlack = 8;     // per field: quotes, comma, "null"
  constexpr size_t kOverrun = 32;  // copy_text may write this far past the end
  size_t rest = 2;                 // "}\n"
  for (size_t i = 0; i < n; ++i) {
    const Key& k = keys_[i];
    slots_[i] = k.valid && same_text(k.name, fields[i].name) ? &k : &key_for(i, fields[i].name);
    rest += slots_[i]->json.size() + fields[i].text.size() + kSlack;
  }
  out.resize(mark + 1 + rest + kOverrun);
  char* o = out.data() + mark;
  *o++ = '{';
  auto put = [&o](const char* s, size_t len) {
    copy_text(o, s, len);
    o += len;
  };
  bool first = true;
  for (size_t i = 0; i < n; ++i) {
    const ParsedField& f = fields[i];
    const Key& key = *slots_[i];
    const std::string_view t = f.text;
    rest -= key.json.size() + t.size() + kSlack;  // now: room for the fields after this one
    if (!key.keep) continue;
    if (!first) *o++ = ',';
    first = false;
    put(key.json.data(), key.json.size());
    if (f.null) {
      std::memcpy(o, "null", 4);
      o += 4;
      continue;
    }
    if (key.type == FieldType::Infer && !f.raw) {
      const bool infer = rules_.infer && f.infer;
      // Only text that starts like a JSON number is looked at further.
      const unsigned c0 = t.empty() ? 0u : unsigned(static_cast<unsigned char>(t[0]));
      const bool maybe = infer && (c0 == '-' || c0 - '0' < 10u);
      const NumberText kind = maybe ? classify_number_text(t) : NumberText::NotNumber;
      if (kind == NumberText::Number) {
        put(t.data(), t.size());
        continue;
      }
      if (plain_json_text(t)) {
        *o++ = '"';
        put(t.data(), t.size());
        *o++ = '"';
        continue;
      }
    }
    // General path: back to appending, then make room again.
    out.resize(size_t(o - out.data()));
    std::string reason = append_value(out, f, key.type);
    if (!reason.empty()) {
      out.resize(mark);
      return reason;
    }
    const size_t at = out.size();
    out.resize(at + rest + kOverrun);
    o = out.data() + at;
  }
  *o++ = '}';
  *o++ = '\n';
  out.resize(size_t(o - out.data()));
  return {};
}

}  // namespace su
