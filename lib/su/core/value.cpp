// Number syntax checks and conversions (std::from_chars / fast_float).
#include "su/core/value.hpp"

#include <fast_float/fast_float.h>

#include <charconv>
#include <cmath>

#include "su/core/json_write.hpp"

namespace su {

bool is_json_number(std::string_view s, bool* integral) {
  size_t i = 0, n = s.size();
  if (i < n && s[i] == '-') ++i;
  if (i >= n) return false;
  if (s[i] == '0') {
    ++i;
  } else if (s[i] >= '1' && s[i] <= '9') {
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
  } else {
    return false;
  }
  bool in = true;
  if (i < n && s[i] == '.') {
    in = false;
    ++i;
    size_t d = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == d) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    in = false;
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    size_t d = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == d) return false;
  }
  if (integral) *integral = in;
  return i == n;
}

NumberText number_text_range(std::string_view s, bool negative, bool integral) {
  const size_t n = s.size();
  if (integral) {  // an integer: int64, or uint64 when not negative
    if (n - (negative ? 1 : 0) > 20) return NumberText::OutOfRange;
    std::errc ec;
    if (negative) {
      int64_t v;
      ec = std::from_chars(s.data(), s.data() + n, v).ec;
    } else {
      uint64_t v;
      ec = std::from_chars(s.data(), s.data() + n, v).ec;
    }
    return ec == std::errc() ? NumberText::Number : NumberText::OutOfRange;
  }
  double d = 0;
  auto r = fast_float::from_chars(s.data(), s.data() + n, d);
  if (r.ec != std::errc() && r.ec != std::errc::result_out_of_range) return NumberText::NotNumber;
  return std::isfinite(d) ? NumberText::Number : NumberText::OutOfRange;
}

std::optional<Value> parse_number(std::string_view s) {
  bool integral = false;
  if (!is_json_number(s, &integral)) return std::nullopt;
  if (integral) {
    int64_t v = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec == std::errc() && r.ptr == s.data() + s.size()) return Value::integer(v);
  }
  double d = 0;
  auto r = fast_float::from_chars(s.data(), s.data() + s.size(), d);
  if (r.ec != std::errc() && r.ec != std::errc::result_out_of_range) return std::nullopt;
  return Value::real(d);
}

void append_value(std::string& out, const Value& v) {
  switch (v.kind) {
    case Value::Kind::Missing:
    case Value::Kind::Null:
      out.append("null");
      break;
    case Value::Kind::Bool:
      out.append(v.b ? "true" : "false");
      break;
    case Value::Kind::Int:
      append_int(out, v.i);
      break;
    case Value::Kind::Double:
      append_double(out, v.d);
      break;
    case Value::Kind::String:
      append_json_string(out, v.s);
      break;
    case Value::Kind::Json:
      out.append(v.s);
      break;
  }
}

void append_canonical(std::string& out, const Value& v) {
  if (v.kind == Value::Kind::Double && std::trunc(v.d) == v.d && v.d >= -0x1p63 && v.d < 0x1p63) {
    append_int(out, int64_t(v.d));
    return;
  }
  append_value(out, v);
}

}  // namespace su
