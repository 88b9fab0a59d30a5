// A scalar field value seen through a record, and text-to-value inference
// (JSON number syntax only: "007", "+5", "NaN", "12abc" stay strings).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace su {

struct Value {
  enum class Kind : uint8_t { Missing, Null, Bool, Int, Double, String, Json };
  Kind kind = Kind::Missing;
  bool b = false;
  int64_t i = 0;
  double d = 0;
  std::string_view s;  // String: unescaped text; Json: raw object/array text

  static Value missing() { return {}; }
  static Value null() {
    Value v;
    v.kind = Kind::Null;
    return v;
  }
  static Value boolean(bool x) {
    Value v;
    v.kind = Kind::Bool;
    v.b = x;
    return v;
  }
  static Value integer(int64_t x) {
    Value v;
    v.kind = Kind::Int;
    v.i = x;
    return v;
  }
  static Value real(double x) {
    Value v;
    v.kind = Kind::Double;
    v.d = x;
    return v;
  }
  static Value string(std::string_view x) {
    Value v;
    v.kind = Kind::String;
    v.s = x;
    return v;
  }
  static Value json(std::string_view x) {
    Value v;
    v.kind = Kind::Json;
    v.s = x;
    return v;
  }

  bool is_number() const { return kind == Kind::Int || kind == Kind::Double; }
  bool is_null_or_missing() const { return kind == Kind::Null || kind == Kind::Missing; }
  double as_double() const { return kind == Kind::Int ? double(i) : d; }
};

// Does s follow JSON number syntax? -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
// Sets *integral when there is no fraction and no exponent.
bool is_json_number(std::string_view s, bool* integral);

// What a text is as a number, for inference from text (CSV cells, log
// fields): not JSON number syntax (a string: "+5", ".5", "5.", "007", "0x1F",
// "1_000", "inf", "nan"); a JSON number that every tool reads back, to be
// written exactly as it is ("51.0", "1e3", "-0"); or JSON number syntax out of
// the range that NDJSON readers accept (they reject the line): an integer
// beyond int64 (negative) or uint64, or another number whose double is
// infinite ("1e400"). Underflow to zero ("1e-400") is in range.
enum class NumberText : uint8_t { NotNumber, Number, OutOfRange };
inline NumberText classify_number_text(std::string_view s);

// classify_number_text's range check of a text in JSON number syntax that
// may be out of range (an integer of 19 digits or more, a number with an
// exponent or with 309 digits or more before the point).
NumberText number_text_range(std::string_view s, bool negative, bool integral);

// JSON-number text to a number: integers that fit int64 stay integers,
// everything else becomes a double. nullopt when s is not a JSON number.
std::optional<Value> parse_number(std::string_view s);

// Appends v as JSON (Missing is written as null).
void append_value(std::string& out, const Value& v);
// The same in a canonical form, so that equal values have equal text: a
// double that is an integer within int64 is written as one (1.0, 1e0, 10e-1
// and 1 are all `1`; -0 is `0`), other doubles shortest round-trip.
void append_canonical(std::string& out, const Value& v);
// Is `text`, the JSON text of the number v, already canonical? True for the
// usual integers (digits, no -0), so callers can skip the conversion.
inline bool is_canonical_number(std::string_view text, const Value& v) {
  return v.kind == Value::Kind::Int && !(text.size() > 1 && text[0] == '-' && text[1] == '0');
}

// Inline: stream-parse calls it for every inferred field.
inline NumberText classify_number_text(std::string_view s) {
  const size_t n = s.size();
  auto digit = [&s](size_t k) { return unsigned(static_cast<unsigned char>(s[k]) - '0') < 10; };
  const bool negative = n > 0 && s[0] == '-';
  size_t i = negative ? 1 : 0;
  if (i >= n) return NumberText::NotNumber;
  const size_t int_start = i;
  if (s[i] == '0')
    ++i;
  else if (s[i] >= '1' && s[i] <= '9')
    while (i < n && digit(i)) ++i;
  else
    return NumberText::NotNumber;
  const size_t int_digits = i - int_start;
  if (i == n) return int_digits <= 18 ? NumberText::Number : number_text_range(s, negative, true);
  bool exponent = false;
  if (s[i] == '.') {
    const size_t frac = ++i;
    while (i < n && digit(i)) ++i;
    if (i == frac) return NumberText::NotNumber;
  }
  if (i < n) {
    if (s[i] != 'e' && s[i] != 'E') return NumberText::NotNumber;
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    const size_t exp = i;
    while (i < n && digit(i)) ++i;
    if (i == exp || i != n) return NumberText::NotNumber;
    exponent = true;
  }
  // Without an exponent, 308 digits before the point are below DBL_MAX.
  if (!exponent && int_digits <= 308) return NumberText::Number;
  return number_text_range(s, negative, false);
}

}  // namespace su
