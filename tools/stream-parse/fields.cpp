// Value inference and typing for stream-parse's records.
#include "fields.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

#include <fast_float/fast_float.h>

#include "su/error.hpp"
#include "su/output.hpp"
#include "su/value.hpp"

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
    if (t == "int") ft = FieldType::Int;
    else if (t == "float") ft = FieldType::Float;
    else if (t == "string") ft = FieldType::String;
    else if (t == "bool") ft = FieldType::Bool;
    else throw UsageError("--types: unknown type '" + t + "' for field '" + name + "' (int, float, string, bool)");
    types[name] = ft;
    start = end + 1;
  }
}

RecordWriter::RecordWriter(FieldRules rules) : rules_(std::move(rules)) {}

namespace {
std::string type_error(std::string_view name, std::string_view want, std::string_view text) {
  return "field '" + std::string(name) + "': expected " + std::string(want) + ", got '" + std::string(text) + "'";
}

// True when s is ASCII with nothing to escape in JSON (no control byte, quote
// or backslash): it can be copied between quotes as is. 8 bytes at a time.
bool plain_json_text(std::string_view s) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  const char* p = s.data();
  size_t n = s.size(), i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t x;
    std::memcpy(&x, p + i, 8);
    uint64_t q = x ^ (kOnes * '"'), b = x ^ (kOnes * '\\');
    // High bit: a byte >= 0x80, < 0x20, == '"' or == '\\' (exact "has any" tests).
    uint64_t bad = x | ((x - kOnes * 0x20) & ~x) | ((q - kOnes) & ~q) | ((b - kOnes) & ~b);
    if (bad & kHigh) return false;
  }
  for (; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(p[i]);
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') return false;
  }
  return true;
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

// True when the JSON number text t (already validated, not an integer) is
// exactly what append_double writes for it, so it can be copied: a plain
// decimal (no exponent) with 15 significant digits or fewer (DBL_DIG: such a
// decimal is the shortest round-trip text of its double), no trailing zero in
// the fraction, and a magnitude >= 0.1 (so the fixed notation is shortest).
bool canonical_decimal(std::string_view t) {
  const size_t n = t.size();
  size_t i = t[0] == '-' ? 1 : 0;
  const size_t first = i;
  while (i < n && t[i] != '.') {
    if (t[i] == 'e' || t[i] == 'E') return false;
    ++i;
  }
  const size_t dot = i;
  if (dot + 1 >= n || t[n - 1] == '0') return false;
  size_t digits = n - first - 1;
  if (t[first] == '0') {  // "0.x": x must not start with 0, and the 0 is not significant
    if (t[dot + 1] == '0') return false;
    --digits;
  }
  if (digits > 15) return false;
  for (size_t k = dot + 1; k < n; ++k)
    if (t[k] < '0' || t[k] > '9') return false;  // an exponent
  return true;
}

void append_inferred(std::string& out, std::string_view t) {
  bool integral = false;
  if (is_json_number(t, &integral)) {
    if (integral) {
      int64_t iv;
      auto r = std::from_chars(t.data(), t.data() + t.size(), iv);
      if (r.ec == std::errc() && !(t.size() == 2 && t[0] == '-' && t[1] == '0')) {
        out.append(t);  // JSON integer text that fits int64 is already canonical
        return;
      }
    } else if (canonical_decimal(t)) {
      out.append(t);
      return;
    }
    double d = 0;
    fast_float::from_chars(t.data(), t.data() + t.size(), d);
    append_double(out, d);
    return;
  }
  append_text(out, t);
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
  append_json_string(k.json, name);
  k.json.push_back(':');
  k.keep = rules_.keep.empty() || std::find(rules_.keep.begin(), rules_.keep.end(), name) != rules_.keep.end();
  auto it = rules_.types.find(k.name);
  k.type = it == rules_.types.end() ? FieldType::Infer : it->second;
  return k;
}

std::string RecordWriter::write(std::string& out, const std::vector<ParsedField>& fields) {
  const size_t mark = out.size();
  out.push_back('{');
  bool first = true;
  if (keys_.size() < fields.size()) keys_.resize(fields.size());
  for (size_t i = 0; i < fields.size(); ++i) {
    const ParsedField& f = fields[i];
    const Key& key = key_for(i, f.name);
    if (!key.keep) continue;
    if (!first) out.push_back(',');
    first = false;
    out.append(key.json);
    const FieldType ft = key.type;
    const std::string_view t = f.text;
    if (f.null) {
      out.append("null");
      continue;
    }
    if (f.raw && ft == FieldType::Infer) {  // already JSON (a bare logfmt key, a nested object)
      out.append(t);
      continue;
    }
    switch (ft) {
      case FieldType::Infer:
        if (!rules_.infer || !f.infer) append_text(out, t);
        else append_inferred(out, t);
        break;
      case FieldType::String: append_text(out, t); break;
      case FieldType::Int: {
        if (t.empty()) { out.append("null"); break; }
        int64_t v;
        std::string_view u = t.front() == '+' ? t.substr(1) : t;
        auto r = std::from_chars(u.data(), u.data() + u.size(), v);
        if (r.ec != std::errc() || r.ptr != u.data() + u.size()) {
          out.resize(mark);
          return type_error(f.name, "int", t);
        }
        append_int(out, v);
        break;
      }
      case FieldType::Float: {
        if (t.empty()) { out.append("null"); break; }
        double d;
        std::string_view u = t.front() == '+' ? t.substr(1) : t;
        auto r = fast_float::from_chars(u.data(), u.data() + u.size(), d);
        if (r.ec != std::errc() || r.ptr != u.data() + u.size()) {
          out.resize(mark);
          return type_error(f.name, "float", t);
        }
        append_double(out, d);
        break;
      }
      case FieldType::Bool: {
        std::string lower(t);
        for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
        if (lower == "true" || lower == "1" || lower == "yes" || lower == "y" || lower == "t") out.append("true");
        else if (lower == "false" || lower == "0" || lower == "no" || lower == "n" || lower == "f") out.append("false");
        else if (lower.empty()) out.append("null");
        else {
          out.resize(mark);
          return type_error(f.name, "bool", t);
        }
        break;
      }
    }
  }
  out.append("}\n");
  return {};
}

}  // namespace su
