// Value inference and typing for stream-parse's records.
#include "fields.hpp"

#include <algorithm>
#include <charconv>

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

void append_inferred(std::string& out, std::string_view t) {
  bool integral = false;
  if (is_json_number(t, &integral)) {
    int64_t iv;
    auto r = std::from_chars(t.data(), t.data() + t.size(), iv);
    if (integral && r.ec == std::errc() && !(t.size() == 2 && t[0] == '-' && t[1] == '0')) {
      out.append(t);  // JSON integer text that fits int64 is already canonical
      return;
    }
    double d = 0;
    fast_float::from_chars(t.data(), t.data() + t.size(), d);
    append_double(out, d);
    return;
  }
  append_json_string(out, t);
}
}  // namespace

std::string RecordWriter::write(std::string& out, const std::vector<ParsedField>& fields) {
  const size_t mark = out.size();
  out.push_back('{');
  bool first = true;
  for (const ParsedField& f : fields) {
    if (!rules_.keep.empty() &&
        std::find(rules_.keep.begin(), rules_.keep.end(), f.name) == rules_.keep.end())
      continue;
    if (!first) out.push_back(',');
    first = false;
    append_json_string(out, f.name);
    out.push_back(':');
    FieldType ft = FieldType::Infer;
    if (!rules_.types.empty()) {
      auto it = rules_.types.find(std::string(f.name));
      if (it != rules_.types.end()) ft = it->second;
    }
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
        if (!rules_.infer || !f.infer) append_json_string(out, t);
        else append_inferred(out, t);
        break;
      case FieldType::String: append_json_string(out, t); break;
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
