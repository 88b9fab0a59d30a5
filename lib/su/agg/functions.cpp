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
#include "su/json/json.hpp"

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
  void save(const State& n, StateWriter& w) const { w.varint(n); }
  void load(State& n, StateReader& r) const { n = r.varint(); }
  void merge(State& n, State& o) const { n += o; }
};

// ---- sum and mean -----------------------------------------------------------
// Integers are summed exactly in 128 bits, doubles exactly as an ExactSum, so
// that the result is the same whatever the order of the values and of the
// merges of parts.
struct SumState {
  __int128 isum = 0;  // exact sum of the integers
  ExactSum dsum;      // exact sum of the doubles
  uint64_t n = 0;     // values summed
  bool any_double = false;
  void add(const Value& x) {
    ++n;
    if (x.kind == Value::Kind::Int) {
      isum += x.i;
      return;
    }
    any_double = true;
    dsum.add(x.d);
  }
  ExactSum all() const {
    ExactSum t = dsum;
    t.add_integer(isum);
    return t;
  }
  void save(StateWriter& w) const {
    w.varint(n);
    w.i128(isum);
    w.u8(any_double);
    if (any_double) dsum.save(w);
  }
  void load(StateReader& r) {
    n = r.varint();
    isum = r.i128();
    // n int64 values sum to at most n * 2^63 in magnitude.
    const unsigned __int128 bound = (unsigned __int128)n << 63;
    if ((isum < 0 ? (unsigned __int128)(-(isum + 1)) + 1 : (unsigned __int128)isum) > bound)
      throw StateError("_state has a bad sum");
    any_double = r.u8() != 0;
    if (any_double) dsum.load(r);
  }
  void merge(SumState& o) {
    n += o.n;
    any_double |= o.any_double;
    dsum.add(o.dsum);
    // Beyond 128 bits (2^64 values near the int64 limits): the rest goes
    // into the exact double sum, still exact.
    __int128 total;
    if (__builtin_add_overflow(isum, o.isum, &total)) {
      dsum.add_integer(o.isum);
      any_double = true;
    } else {
      isum = total;
    }
  }
};

bool add_number(SumState& st, const Value& v) {
  Value x;
  if (v.is_null_or_missing()) return true;
  if (!as_number(v, x)) return false;
  st.add(x);
  return true;
}

// The parts of the state codec that sum and mean share.
struct SumCodec {
  using State = SumState;
  void save(const State& st, StateWriter& w) const { st.save(w); }
  void load(State& st, StateReader& r) const { st.load(r); }
  void merge(State& st, State& o) const { st.merge(o); }
};

struct Sum : SumCodec {
  bool add(State& st, const Value& v) const { return add_number(st, v); }
  void write(State& st, std::string& out) const {
    constexpr __int128 lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
    if (!st.any_double && st.isum >= lo && st.isum <= hi) return append_int(out, int64_t(st.isum));
    append_double(out, st.any_double ? st.all().round() : double(st.isum));  // int128 -> double rounds once
  }
};

struct Mean : SumCodec {
  bool add(State& st, const Value& v) const { return add_number(st, v); }
  void write(State& st, std::string& out) const {
    if (!st.n) return append_double(out, kNaN);
    long double total = st.any_double ? st.all().round_long() : (long double)st.isum;
    append_double(out, double(total / (long double)st.n));
  }
};

// ---- var and stddev (sample) -------------------------------------------------
// From the exact power sums S = sum x and Q = sum x^2 (each x^2 as exact
// two-products): n*Q - S^2 is computed exactly and rounded once, so the
// result depends on no order (Welford's running mean and M2 would, once
// merged). Products beyond 2^900 are kept apart, in units of 2^1200, so that
// squares of numbers up to the double range do not overflow.
constexpr int kHalfScale = 600;

void add_product_split(ExactSum& lo, ExactSum& hi, double a, double b) {
  if (a == 0 || b == 0) return;
  if (std::isfinite(a) && std::isfinite(b) && std::ilogb(a) + std::ilogb(b) >= 900)
    hi.add_product(std::ldexp(a, -kHalfScale), std::ldexp(b, -kHalfScale));
  else
    lo.add_product(a, b);
}

struct MomentState {
  uint64_t n = 0;
  ExactSum s, q, q_hi;  // q_hi: in units of 2^1200
};

// x as at most two doubles that sum to it exactly (an int64 beyond 2^53 is
// not one double).
int exact_parts(const Value& x, double parts[2]) {
  if (x.kind != Value::Kind::Int) {
    parts[0] = x.d;
    return 1;
  }
  const int64_t hi = x.i & ~int64_t(0xffffffff);
  parts[0] = double(hi);
  parts[1] = double(x.i - hi);
  return 2;
}

struct Variance {
  bool root;  // stddev
  using State = MomentState;
  bool add(State& st, const Value& v) const {
    Value x;
    if (v.is_null_or_missing()) return true;
    if (!as_number(v, x)) return false;
    double p[2];
    int k = exact_parts(x, p);
    ++st.n;
    for (int i = 0; i < k; ++i) {
      st.s.add(p[i]);
      for (int j = 0; j < k; ++j) add_product_split(st.q, st.q_hi, p[i], p[j]);
    }
    return true;
  }
  void write(State& st, std::string& out) const {
    if (st.n < 2) return append_double(out, kNaN);
    // D = n*Q - S^2, exactly, from the canonical forms of the sums (a
    // function of their exact values); var = D / (n (n-1)).
    ExactSum lo, hi;
    const double n_parts[2] = {double(st.n & ~uint64_t(0xffffffff)), double(st.n & 0xffffffff)};
    for (double q : st.q.canonical())
      for (double m : n_parts) add_product_split(lo, hi, m, q);
    for (double q : st.q_hi.canonical())
      for (double m : n_parts) hi.add_product(m, q);
    const std::vector<double> s = st.s.canonical();
    for (double a : s)
      for (double b : s) add_product_split(lo, hi, -a, b);
    long double d;
    if (hi.empty()) {
      d = lo.round_long();
    } else {
      for (double x : lo.canonical()) hi.add(std::ldexp(x, -2 * kHalfScale));
      d = std::ldexp(hi.round_long(), 2 * kHalfScale);
    }
    long double var = d / ((long double)st.n * (long double)(st.n - 1));
    if (var < 0) var = 0;
    append_double(out, double(root ? std::sqrt(var) : var));
  }
  void save(const State& st, StateWriter& w) const {
    w.varint(st.n);
    st.s.save(w);
    st.q.save(w);
    st.q_hi.save(w);
  }
  void load(State& st, StateReader& r) const {
    st.n = r.varint();
    st.s.load(r);
    st.q.load(r);
    st.q_hi.load(r);
  }
  void merge(State& st, State& o) const {
    st.n += o.n;
    st.s.add(o.s);
    st.q.add(o.q);
    st.q_hi.add(o.q_hi);
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
  // Between equal numbers the choice depends on no order: an integer before
  // a double, and for doubles -0 for min, 0 for max.
  bool better_number(const Value& x, const Value& cur) const {
    int c = compare_numbers(x, cur);
    if (c) return max ? c > 0 : c < 0;
    if (x.kind != cur.kind) return x.kind == Value::Kind::Int;
    if (x.kind == Value::Kind::Double && std::signbit(x.d) != std::signbit(cur.d)) return std::signbit(x.d) != max;
    return false;
  }
  void take_number(State& st, const Value& x) const {
    bool better = st.kind == State::None || (st.kind == State::String && !max) ||
                  (st.kind == State::Number && better_number(x, st.num));
    if (better) {
      st.kind = State::Number;
      st.num = x;
    }
  }
  void take_string(State& st, std::string_view s) const {
    if (st.kind == State::None || (st.kind == State::Number && max) ||
        (st.kind == State::String && (max ? s > st.str : s < st.str))) {
      st.kind = State::String;
      st.str.assign(s);
    }
  }
  bool add(State& st, const Value& v) const {
    if (v.is_null_or_missing()) return true;
    Value x;
    if (as_number(v, x)) {
      take_number(st, x);
      return true;
    }
    if (v.kind != Value::Kind::String) return false;
    take_string(st, v.s);
    return true;
  }
  void write(State& st, std::string& out) const {
    if (st.kind == State::Number) return append_value(out, st.num);
    if (st.kind == State::String) return append_json_string(out, st.str);
    out.append("null");
  }
  // A kind byte (0 none, 1 integer, 2 double, 3 string), then the value.
  void save(const State& st, StateWriter& w) const {
    if (st.kind == State::None) return w.u8(0);
    if (st.kind == State::String) {
      w.u8(3);
      return w.bytes(st.str);
    }
    if (st.num.kind == Value::Kind::Int) {
      w.u8(1);
      return w.svarint(st.num.i);
    }
    w.u8(2);
    w.f64(st.num.d);
  }
  void load(State& st, StateReader& r) const {
    switch (r.u8()) {
      case 0:
        st.kind = State::None;
        return;
      case 1:
        st.kind = State::Number;
        st.num = Value::integer(r.svarint());
        return;
      case 2:
        st.kind = State::Number;
        st.num = Value::real(r.f64());
        return;
      case 3:
        st.kind = State::String;
        st.str.assign(r.bytes());
        return;
      default:
        throw StateError("_state has a bad min or max");
    }
  }
  void merge(State& st, State& o) const {
    if (o.kind == State::Number) take_number(st, o.num);
    if (o.kind == State::String) take_string(st, o.str);
  }
};

// ---- first and last ----------------------------------------------------------
// Each value keeps the time it was added at (set_time), so that the first
// and last of merged parts are the earliest and the latest in time; among
// equal times, the order of arrival.
struct FirstLastState {
  bool set = false;
  int64_t time = 0;
  std::string json;
};

struct FirstLast {
  bool last;
  int64_t time = 0;  // of the values added next
  using State = FirstLastState;
  bool add(State& st, const Value& v) const {
    if (v.is_null_or_missing() || (st.set && !last)) return true;
    st.json.clear();
    append_value(st.json, v);
    st.set = true;
    st.time = time;
    return true;
  }
  void write(State& st, std::string& out) const { out.append(st.set ? std::string_view(st.json) : "null"); }
  void save(const State& st, StateWriter& w) const {
    w.u8(st.set);
    if (!st.set) return;
    w.svarint(st.time);
    w.bytes(st.json);
  }
  void load(State& st, StateReader& r) const {
    st.set = r.u8() != 0;
    if (!st.set) return;
    st.time = r.svarint();
    st.json.assign(r.bytes());
    // Written as it is into results: one JSON value, or refused.
    static thread_local JsonLineParser parser;
    simdjson::dom::element obj;
    std::string doc = "{\"v\":";
    doc.append(st.json).push_back('}');
    simdjson::dom::object o;
    if (st.json.empty() || !parser.validate(doc, &obj).empty() || obj.get_object().get(o) || o.size() != 1)
      throw StateError("_state has a bad first or last value");
  }
  void merge(State& st, State& o) const {
    if (!o.set) return;
    if (st.set && (last ? o.time < st.time : o.time >= st.time)) return;
    st = std::move(o);
  }
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

std::string saved_spec_text(const Spec& spec) {
  std::string t = spec.func;
  if (!spec.field.empty()) t.append(":").append(spec.field);
  t.append("=").append(spec.name);
  return t;
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
