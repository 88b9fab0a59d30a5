// The model table, the model grammar and drawing values (see model.hpp).
#include "su/gen/model.hpp"

#include <charconv>
#include <cmath>

#include "su/core/error.hpp"
#include "su/core/json_write.hpp"
#include "su/core/value.hpp"

namespace su::gen {

const std::vector<ModelInfo>& model_table() {
  static const std::vector<ModelInfo> t = {
      {Kind::Walk, "walk", "walk(START,STEP)",
       "a random walk from START, each value the last plus a normal step of deviation STEP", 2, 2},
      {Kind::Uniform, "uniform", "uniform(LO,HI)", "a uniform number in [LO, HI)", 2, 2},
      {Kind::Normal, "normal", "normal(MEAN,SD)", "a normal number of mean MEAN and deviation SD", 2, 2},
      {Kind::Lognormal, "lognormal", "lognormal(MU,SIGMA)",
       "exp of a normal number of mean MU and deviation SIGMA (latencies, sizes)", 2, 2},
      {Kind::Int, "int", "int(LO,HI)", "a uniform integer from LO to HI, both included", 2, 2},
      {Kind::Choice, "choice", "choice(A:W,B:W,...)",
       "one of the labels, each with weight W (default 1); a label that is a number is written as one", 1, 1 << 20},
      {Kind::Seq, "seq", "seq([START[,STEP]])", "START, START+STEP, ... (default 0 and 1), per key", 0, 2},
  };
  return t;
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool to_number(std::string_view s, double& out) {
  s = trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(out);
}

std::vector<std::string_view> split_args(std::string_view s) {
  std::vector<std::string_view> v;
  if (trim(s).empty()) return v;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || s[i] == ',') {
      v.push_back(trim(s.substr(start, i - start)));
      start = i + 1;
    }
  return v;
}

// "'text'" (built by appends: GCC 12 warns falsely on "'" + std::string).
std::string quoted(std::string_view s) {
  std::string q(1, '\'');
  q.append(s);
  q.push_back('\'');
  return q;
}

[[noreturn]] void bad(std::string_view spec, const std::string& why) {
  std::string m = "model '";
  m.append(spec);
  m.append("': ");
  m.append(why);
  throw UsageError(m);
}

}  // namespace

Model parse_model(std::string_view spec) {
  size_t eq = spec.find('=');
  if (eq == std::string_view::npos) bad(spec, "expected NAME=FUNC(ARGS), e.g. temperature=walk(20,0.5)");
  Model m;
  m.field = std::string(trim(spec.substr(0, eq)));
  if (m.field.empty()) bad(spec, "empty field name");
  std::string_view call = trim(spec.substr(eq + 1));
  size_t open = call.find('(');
  if (open == std::string_view::npos || call.back() != ')') bad(spec, "expected FUNC(ARGS) after '='");
  std::string_view name = trim(call.substr(0, open));
  std::string_view inner = call.substr(open + 1, call.size() - open - 2);
  const ModelInfo* info = nullptr;
  for (const auto& row : model_table())
    if (name == row.name) info = &row;
  if (!info) {
    std::string known;
    for (const auto& row : model_table()) {
      if (!known.empty()) known.append(", ");
      known.append(row.name);
    }
    bad(spec, "unknown model " + quoted(name) + " (known: " + known + ")");
  }
  m.kind = info->kind;
  auto args = split_args(inner);
  if (int(args.size()) < info->min_args || int(args.size()) > info->max_args)
    bad(spec, std::string("expected ") + info->signature);
  if (m.kind == Kind::Choice) {
    double total = 0;
    for (auto item : args) {
      std::string_view label = item;
      double w = 1;
      size_t colon = item.rfind(':');
      if (colon != std::string_view::npos) {
        label = trim(item.substr(0, colon));
        if (!to_number(item.substr(colon + 1), w) || w < 0) bad(spec, "bad weight in " + quoted(item));
      }
      if (label.empty()) bad(spec, "empty label");
      std::string json;
      bool integral = false;
      if (is_json_number(label, &integral))
        json = std::string(label);
      else
        append_json_string(json, label);
      m.json.push_back(json);
      m.text.emplace_back(label);
      total += w;
      m.cumulative.push_back(total);
    }
    if (total <= 0) bad(spec, "the weights add up to 0");
    for (auto& c : m.cumulative) c /= total;
    m.cumulative.back() = 1;
    return m;
  }
  double v[2] = {0, 1};
  for (size_t i = 0; i < args.size(); ++i)
    if (!to_number(args[i], v[i])) bad(spec, quoted(args[i]) + " is not a number");
  m.a = v[0];
  m.b = v[1];
  switch (m.kind) {
    case Kind::Uniform:
    case Kind::Int:
      if (m.b < m.a) bad(spec, "HI is below LO");
      break;
    case Kind::Normal:
    case Kind::Lognormal:
    case Kind::Walk:
      if (m.b < 0) bad(spec, "a negative deviation");
      break;
    case Kind::Seq:
      m.integral = m.a == std::floor(m.a) && m.b == std::floor(m.b) && std::fabs(m.a) < 9e15 && std::fabs(m.b) < 9e15;
      break;
    default:
      break;
  }
  if (m.kind == Kind::Int) {
    m.a = std::ceil(m.a);
    m.b = std::floor(m.b);
    if (m.b < m.a) bad(spec, "no integer between LO and HI");
  }
  return m;
}

double initial_state(const Model& m) {
  return m.kind == Kind::Walk || m.kind == Kind::Seq ? m.a : 0;
}

Sample next_sample(const Model& m, Rng& rng, double& state) {
  Sample s;
  switch (m.kind) {
    case Kind::Walk:
      s.d = state;
      state += m.b * rng.normal();
      break;
    case Kind::Uniform:
      s.d = m.a + (m.b - m.a) * rng.uniform();
      break;
    case Kind::Normal:
      s.d = m.a + m.b * rng.normal();
      break;
    case Kind::Lognormal:
      s.d = std::exp(m.a + m.b * rng.normal());
      break;
    case Kind::Int:
      s.type = Sample::Type::Int;
      s.i = int64_t(m.a) + int64_t(rng.below(uint64_t(m.b - m.a) + 1));
      break;
    case Kind::Choice: {
      s.type = Sample::Type::Label;
      const double u = rng.uniform();
      size_t i = 0;
      while (i + 1 < m.cumulative.size() && u >= m.cumulative[i]) ++i;
      s.label = i;
      break;
    }
    case Kind::Seq:
      if (m.integral) {
        s.type = Sample::Type::Int;
        s.i = int64_t(state);
      } else {
        s.d = state;
      }
      state += m.b;
      break;
  }
  return s;
}

}  // namespace su::gen
