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

}  // namespace su
