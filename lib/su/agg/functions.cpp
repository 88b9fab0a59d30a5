// The aggregate function table, SPEC parsing, and the streaming functions
// (count, sum, mean, min, max, first, last, var, stddev) whose state is small
// and fixed. Sums are exact for integers (128-bit) and compensated
// (Neumaier) for floats; variance uses Welford's method in long double.
#include "su/agg/functions.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include "su/core/error.hpp"
#include "su/core/json_write.hpp"

namespace su::agg {

bool as_number(const Value& v, Value& num) {
  if (v.is_number()) {
    num = v;
    return true;
  }
  if (v.kind != Value::Kind::String) return false;
  auto n = parse_number(v.s);
  if (!n) return false;
  num = *n;
  return true;
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---- count ------------------------------------------------------------------
struct Count {
  bool field;  // count:FIELD counts the non-null values of FIELD
  using State = uint64_t;
  bool add(State& n, const Value& v) const {
    n += !field || !v.is_null_or_missing();
    return true;
  }
  void write(State& n, std::string& out) const { append_int(out, int64_t(n)); }
};

// ---- sum and mean -----------------------------------------------------------
struct SumState {
  __int128 isum = 0;    // exact sum of the integers
  double s = 0, c = 0;  // Neumaier sum of the doubles and its compensation
  uint64_t n = 0;       // values summed
  bool any_double = false;
  void add(const Value& x) {
    ++n;
    if (x.kind == Value::Kind::Int) {
      isum += x.i;
      return;
    }
    any_double = true;
    double t = s + x.d;
    c += std::fabs(s) >= std::fabs(x.d) ? (s - t) + x.d : (x.d - t) + s;
    s = t;
  }
  long double total() const {
    if (!any_double) return (long double)isum;
    return (long double)isum + (long double)s + (long double)c;
  }
};

bool add_number(SumState& st, const Value& v) {
  Value x;
  if (v.is_null_or_missing()) return true;
  if (!as_number(v, x)) return false;
  st.add(x);
  return true;
}

struct Sum {
  using State = SumState;
  bool add(State& st, const Value& v) const { return add_number(st, v); }
  void write(State& st, std::string& out) const {
    constexpr __int128 lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
    if (!st.any_double && st.isum >= lo && st.isum <= hi) return append_int(out, int64_t(st.isum));
    append_double(out, st.any_double ? double(st.total()) : double(st.isum));  // int128 -> double rounds once
  }
};

struct Mean {
  using State = SumState;
  bool add(State& st, const Value& v) const { return add_number(st, v); }
  void write(State& st, std::string& out) const {
    append_double(out, st.n ? double(st.total() / (long double)st.n) : kNaN);
  }
};

// ---- var and stddev (sample) -------------------------------------------------
struct WelfordState {
  uint64_t n = 0;
  long double mean = 0, m2 = 0;
};

struct Variance {
  bool root;  // stddev
  using State = WelfordState;
  bool add(State& st, const Value& v) const {
    Value x;
    if (v.is_null_or_missing()) return true;
    if (!as_number(v, x)) return false;
    long double d = x.kind == Value::Kind::Int ? (long double)x.i : (long double)x.d;
    ++st.n;
    long double delta = d - st.mean;
    st.mean += delta / (long double)st.n;
    st.m2 += delta * (d - st.mean);
    return true;
  }
  void write(State& st, std::string& out) const {
    if (st.n < 2) return append_double(out, kNaN);
    long double var = st.m2 / (long double)(st.n - 1);
    append_double(out, double(root ? std::sqrt(var) : var));
  }
};

// ---- min and max: numbers (and numeric strings) order before strings ---------
struct ExtremeState {
  enum : uint8_t { None, Number, String } kind = None;
  Value num;
  std::string str;
};

// <0, 0, >0 as a < b, numerically, for ints and doubles alike.
int compare_numbers(const Value& a, const Value& b) {
  if (a.kind == Value::Kind::Int && b.kind == Value::Kind::Int) return a.i < b.i ? -1 : a.i > b.i;
  long double x = a.kind == Value::Kind::Int ? (long double)a.i : (long double)a.d;
  long double y = b.kind == Value::Kind::Int ? (long double)b.i : (long double)b.d;
  return x < y ? -1 : x > y;
}

struct Extreme {
  bool max;
  using State = ExtremeState;
  bool add(State& st, const Value& v) const {
    if (v.is_null_or_missing()) return true;
    Value x;
    if (as_number(v, x)) {
      bool better =
          st.kind == State::None || (st.kind == State::String && !max) ||
          (st.kind == State::Number && (max ? compare_numbers(x, st.num) > 0 : compare_numbers(x, st.num) < 0));
      if (better) {
        st.kind = State::Number;
        st.num = x;
      }
      return true;
    }
    if (v.kind != Value::Kind::String) return false;
    if (st.kind == State::None || (st.kind == State::Number && max) ||
        (st.kind == State::String && (max ? v.s > st.str : v.s < st.str))) {
      st.kind = State::String;
      st.str.assign(v.s);
    }
    return true;
  }
  void write(State& st, std::string& out) const {
    if (st.kind == State::Number) return append_value(out, st.num);
    if (st.kind == State::String) return append_json_string(out, st.str);
    out.append("null");
  }
};

// ---- first and last ----------------------------------------------------------
struct FirstLastState {
  bool set = false;
  std::string json;
};

struct FirstLast {
  bool last;
  using State = FirstLastState;
  bool add(State& st, const Value& v) const {
    if (v.is_null_or_missing() || (st.set && !last)) return true;
    st.json.clear();
    append_value(st.json, v);
    st.set = true;
    return true;
  }
  void write(State& st, std::string& out) const { out.append(st.set ? std::string_view(st.json) : "null"); }
};

template <class Impl, class... A>
std::unique_ptr<Function> make(A... a) {
  return std::make_unique<Adapter<Impl>>(a...);
}

// "p99.9" -> true: a p, then a number (digits, at most one point) that
// starts and ends with a digit.
bool is_percentile(std::string_view func) {
  if (func.size() < 2 || func[0] != 'p') return false;
  std::string_view digits = func.substr(1);
  if (digits.front() < '0' || digits.front() > '9' || digits.back() < '0' || digits.back() > '9') return false;
  double p = 0;
  auto r = std::from_chars(digits.data(), digits.data() + digits.size(), p, std::chars_format::fixed);
  return r.ec == std::errc() && r.ptr == digits.data() + digits.size();
}

// "99.9" -> 999/10, exactly (at most 17 digits).
bool exact_fraction(std::string_view digits, int64_t* num, int64_t* den) {
  *num = 0;
  *den = 1;
  bool point = false;
  int places = 0;
  for (char ch : digits) {
    if (ch == '.') {
      point = true;
      continue;
    }
    if (++places > 17) return false;
    *num = *num * 10 + (ch - '0');
    if (point) *den *= 10;
  }
  return true;
}

void percentile_params(Spec& s) {
  std::string_view digits = std::string_view(s.func).substr(1);
  std::from_chars(digits.data(), digits.data() + digits.size(), s.param, std::chars_format::fixed);
  const std::string quoted = "'" + s.text + "'";
  if (s.param < 0 || s.param > 100)
    throw UsageError("aggregate " + quoted + ": a percentile must be between p0 and p100");
  if (!exact_fraction(digits, &s.param_num, &s.param_den))
    throw UsageError("aggregate " + quoted + ": too many digits in the percentile");
}

void median_params(Spec& s) {
  s.param = 50;
  s.param_num = 50;
  s.param_den = 1;
}

const FunctionInfo kFunctions[] = {
    {"count", "records in the group; count:FIELD counts its non-null values", "", false,
     [](const Spec& s, bool) { return make<Count>(!s.field.empty()); }},
    {"sum", "sum (integers exact; floats compensated)", "0 when there are no numbers.", true,
     [](const Spec&, bool) { return make<Sum>(); }},
    {"mean", "arithmetic mean", "Null when there are no numbers.", true,
     [](const Spec&, bool) { return make<Mean>(); }},
    {"min", "smallest value (numbers before strings)",
     "Strings compare by their UTF-8 bytes, so `min` is a number if the group has any number.", true,
     [](const Spec&, bool) { return make<Extreme>(false); }},
    {"max", "largest value (strings after numbers)",
     "A string if the group has any (non-numeric) string, otherwise the largest number.", true,
     [](const Spec&, bool) { return make<Extreme>(true); }},
    {"first", "first non-null value", "Of any JSON type.", true,
     [](const Spec&, bool) { return make<FirstLast>(false); }},
    {"last", "last non-null value", "Of any JSON type.", true, [](const Spec&, bool) { return make<FirstLast>(true); }},
    {"stddev", "sample standard deviation", "Divisor n-1; null for fewer than 2 numbers.", true,
     [](const Spec&, bool) { return make<Variance>(true); }},
    {"var", "sample variance", "Divisor n-1; null for fewer than 2 numbers.", true,
     [](const Spec&, bool) { return make<Variance>(false); }},
    {"median", "median (= p50)", "", true, make_percentile, nullptr, median_params},
    {"pNN", "percentile NN, 0 to 100, e.g. p90, p99.9 (linear interpolation)",
     "Any decimals: `p90`, `p99`, `p99.9`; see *Percentiles* above for how exact ones are computed, and `--approx` "
     "for a sketch in bounded memory.",
     true, make_percentile, is_percentile, percentile_params, "p50 p90 p95 p99 p99.9"},
    {"distinct", "number of distinct values",
     "Of the non-null values, compared as JSON values: 1 and 1.0 are the same value, the string \"1\" is another.",
     true, make_distinct},
    {"mode", "most frequent value (the first seen among ties)", "Of the non-null values.", true, make_mode},
};

}  // namespace

std::span<const FunctionInfo> function_table() {
  return kFunctions;
}

const FunctionInfo* find_function(std::string_view func) {
  for (const auto& f : kFunctions)
    if (f.matches ? f.matches(func) : f.name == func) return &f;
  return nullptr;
}

Spec parse_spec(std::string_view text) {
  Spec s;
  s.text = std::string(text);
  size_t colon = text.find(':');
  size_t eq = text.find('=', colon == std::string_view::npos ? 0 : colon);
  std::string_view head = text.substr(0, std::min(colon, eq));
  s.func = std::string(head);
  if (colon != std::string_view::npos)
    s.field = std::string(text.substr(colon + 1, eq == std::string_view::npos ? eq : eq - colon - 1));
  if (eq != std::string_view::npos) s.name = std::string(text.substr(eq + 1));
  const std::string quoted = "'" + s.text + "'";
  if (s.func.empty()) throw UsageError("aggregate " + quoted + ": no function (expected FUNC[:FIELD][=NAME])");
  const FunctionInfo* f = find_function(s.func);
  if (!f) throw UsageError("aggregate " + quoted + ": unknown function '" + s.func + "' (see --help)");
  if (f->params) f->params(s);
  if (colon != std::string_view::npos && s.field.empty())
    throw UsageError("aggregate " + quoted + ": empty field name");
  if (f->needs_field && s.field.empty())
    throw UsageError("aggregate " + quoted + ": " + s.func + " needs a field: " + s.func + ":FIELD");
  if (eq != std::string_view::npos && s.name.empty()) throw UsageError("aggregate " + quoted + ": empty output name");
  if (s.name.empty()) s.name = s.field.empty() ? s.func : s.field + "_" + s.func;
  return s;
}

std::unique_ptr<Function> make_function(const Spec& spec, bool approx) {
  const FunctionInfo* f = find_function(spec.func);
  if (!f) throw UsageError("unknown function '" + spec.func + "'");
  return f->make(spec, approx);
}

bool is_function(std::string_view func) {
  return find_function(func) != nullptr;
}

std::string functions_help() {
  std::string h;
  for (const auto& f : kFunctions) {
    h += "  ";
    h += f.name;
    h.append(f.name.size() < 10 ? 10 - f.name.size() : 1, ' ');
    h += f.help;
    h += '\n';
  }
  return h;
}

}  // namespace su::agg
