// The record generator (see generator.hpp).
#include "su/gen/generator.hpp"

#include <algorithm>
#include <cmath>

#include "su/core/calendar.hpp"
#include "su/core/error.hpp"
#include "su/core/json_write.hpp"
#include "su/time/timeparse.hpp"

namespace su::gen {

const std::vector<FormatInfo>& format_table() {
  static const std::vector<FormatInfo> t = {
      {Format::Ndjson, "ndjson", "one JSON object per line (the default)"},
      {Format::Csv, "csv", "a header line, then comma-separated values"},
      {Format::Logfmt, "logfmt", "key=value pairs"},
      {Format::Combined, "combined", "web server access log lines (Apache/nginx combined format)"},
      {Format::Syslog, "syslog", "BSD syslog lines (RFC 3164)"},
  };
  return t;
}

bool is_log_format(Format f) {
  return f == Format::Combined || f == Format::Syslog;
}

namespace {

// The parts of each log format, in the order they are written, and their
// default models.
const std::vector<std::pair<const char*, const char*>>& parts_of(Format f) {
  static const std::vector<std::pair<const char*, const char*>> combined = {
      {"host", "choice(192.0.2.10:5,192.0.2.77:3,198.51.100.4:2,198.51.100.23:1,203.0.113.9:1)"},
      {"user", "choice(-:9,alice:1)"},
      {"method", "choice(GET:80,POST:15,PUT:3,DELETE:2)"},
      {"path", "choice(/:20,/index.html:15,/api/items:25,/api/orders:15,/login:10,/static/app.js:10,/favicon.ico:5)"},
      {"status", "choice(200:85,304:5,404:6,500:3,503:1)"},
      {"bytes", "lognormal(8,1.2)"},
      {"referer", "choice(-:7,https://example.com/:3)"},
      {"agent", "choice(Mozilla/5.0 (X11; Linux x86_64):6,curl/7.88.1:2,Go-http-client/1.1:2)"},
  };
  static const std::vector<std::pair<const char*, const char*>> syslog = {
      {"host", "choice(web1:4,web2:4,db1:2)"},
      {"app", "choice(sshd:3,cron:2,nginx:4,kernel:1)"},
      {"pid", "int(100,32000)"},
      {"message",
       "choice(connection accepted:40,session opened for user alice:20,job finished:20,disk usage at 81%:10,"
       "upstream timed out:7,out of memory:3)"},
  };
  static const std::vector<std::pair<const char*, const char*>> none;
  return f == Format::Combined ? combined : f == Format::Syslog ? syslog : none;
}

// Does a CSV value need quotes?
bool csv_needs_quotes(std::string_view s) {
  return s.find_first_of(",\"\r\n") != std::string_view::npos;
}
void append_csv(std::string& out, std::string_view s) {
  if (!csv_needs_quotes(s)) {
    out.append(s);
    return;
  }
  out.push_back('"');
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}
bool logfmt_needs_quotes(std::string_view s) {
  return s.empty() || s.find_first_of(" =\"\t\r\n") != std::string_view::npos;
}
void append_logfmt(std::string& out, std::string_view s) {
  if (logfmt_needs_quotes(s))
    append_json_string(out, s);
  else
    out.append(s);
}

}  // namespace

std::vector<std::string> log_parts(Format f) {
  std::vector<std::string> v;
  for (const auto& [name, model] : parts_of(f)) v.push_back(std::string(name) + "=" + model);
  return v;
}

Generator::Generator(Spec spec, uint64_t seed) : spec_(std::move(spec)), rng_(seed) {
  if (spec_.decimals < 0 || spec_.decimals > 9) throw UsageError("--decimals: expected 0 to 9");
  scale_ = std::pow(10.0, spec_.decimals);
  if (is_log_format(spec_.format)) {
    if (!spec_.keys.empty()) throw UsageError("--keys: not with a log format (give a model of a part instead)");
    // Every part gets its default model unless one is given.
    std::vector<Model> given = std::move(spec_.models);
    spec_.models.clear();
    for (const auto& part : parts_of(spec_.format)) {
      const std::string name = part.first;  // (clang 14 lambdas cannot capture a structured binding)
      auto it = std::find_if(given.begin(), given.end(), [&](const Model& m) { return m.field == name; });
      if (it != given.end()) {
        spec_.models.push_back(*it);
        given.erase(it);
      } else {
        spec_.models.push_back(parse_model(name + "=" + part.second));
      }
    }
    if (!given.empty()) {
      std::string parts;
      for (const auto& [name, model] : parts_of(spec_.format)) {
        if (!parts.empty()) parts.append(", ");
        parts.append(name);
      }
      throw UsageError("model '" + given.front().field + "': this log format has no such part (parts: " + parts + ")");
    }
  } else {
    std::vector<std::string> names;
    if (!spec_.time_field.empty()) names.push_back(spec_.time_field);
    if (!spec_.key_field.empty()) names.push_back(spec_.key_field);
    for (const auto& m : spec_.models) names.push_back(m.field);
    for (size_t i = 0; i < names.size(); ++i)
      for (size_t j = i + 1; j < names.size(); ++j)
        if (names[i] == names[j]) throw UsageError("field '" + names[i] + "' given twice");
    if (names.empty()) throw UsageError("no field to generate (give a model such as n=seq())");
  }
  const size_t keys = std::max<size_t>(spec_.keys.size(), 1);
  for (size_t k = 0; k < keys; ++k)
    for (const auto& m : spec_.models) state_.push_back(initial_state(m));
  for (const auto& k : spec_.keys) {
    std::string j;
    append_json_string(j, k);
    key_json_.push_back(j);
    key_text_.push_back(k);
  }
  auto name = [&](const std::string& n) {
    std::string j;
    append_json_string(j, n);
    j.push_back(':');
    name_json_.push_back(j);
    name_text_.push_back(n);
  };
  if (!spec_.time_field.empty()) name(spec_.time_field);
  if (!spec_.key_field.empty()) name(spec_.key_field);
  for (const auto& m : spec_.models) name(m.field);
}

std::string Generator::header() const {
  std::string h;
  if (spec_.format != Format::Csv) return h;
  for (size_t i = 0; i < name_text_.size(); ++i) {
    if (i) h.push_back(',');
    append_csv(h, name_text_[i]);
  }
  h.push_back('\n');
  return h;
}

int64_t Generator::record_time(int64_t t) {
  if (spec_.late_fraction > 0 && rng_.uniform() < spec_.late_fraction) {
    const int64_t d = spec_.disorder_ns > 0 ? spec_.disorder_ns : int64_t(60) * 1'000'000'000;
    return t - 2 * d - int64_t(rng_.uniform() * double(d));
  }
  if (spec_.disorder_ns > 0) {
    // Whole milliseconds, as a clock would give them.
    const int64_t back = int64_t(rng_.uniform() * double(spec_.disorder_ns));
    return t - back / 1'000'000 * 1'000'000;
  }
  return t;
}

void Generator::value(std::string& out, const Model& m, double& state, bool json, bool quote_text) {
  Sample s = next_sample(m, rng_, state);
  switch (s.type) {
    case Sample::Type::Int:
      append_int(out, s.i);
      break;
    case Sample::Type::Double:
      append_double(out, std::round(s.d * scale_) / scale_);
      break;
    case Sample::Type::Label:
      if (json)
        out.append(m.json[s.label]);
      else if (quote_text && spec_.format == Format::Csv)
        append_csv(out, m.text[s.label]);
      else if (quote_text)
        append_logfmt(out, m.text[s.label]);
      else
        out.append(m.text[s.label]);
      break;
  }
}

void Generator::record(std::string& out, int64_t t, size_t key) {
  double* state = &state_[key * spec_.models.size()];
  size_t n = 0;  // the name of the next field
  const bool has_key = !spec_.keys.empty();
  switch (spec_.format) {
    case Format::Ndjson:
      out.push_back('{');
      if (!spec_.time_field.empty()) {
        out.append(name_json_[n++]);
        out.push_back('"');
        append_rfc3339(out, record_time(t));
        out.push_back('"');
      }
      if (has_key) {
        if (n) out.push_back(',');
        out.append(name_json_[n++]);
        out.append(key_json_[key]);
      }
      for (size_t i = 0; i < spec_.models.size(); ++i) {
        if (n) out.push_back(',');
        out.append(name_json_[n++]);
        value(out, spec_.models[i], state[i], true, false);
      }
      out.append("}\n");
      break;
    case Format::Csv:
    case Format::Logfmt: {
      const bool csv = spec_.format == Format::Csv;
      auto begin = [&] {
        if (n) out.push_back(csv ? ',' : ' ');
        if (!csv) {
          append_logfmt(out, name_text_[n]);
          out.push_back('=');
        }
        ++n;
      };
      if (!spec_.time_field.empty()) {
        begin();
        append_rfc3339(out, record_time(t));
      }
      if (has_key) {
        begin();
        if (csv)
          append_csv(out, key_text_[key]);
        else
          append_logfmt(out, key_text_[key]);
      }
      for (size_t i = 0; i < spec_.models.size(); ++i) {
        begin();
        value(out, spec_.models[i], state[i], false, true);
      }
      out.push_back('\n');
      break;
    }
    default:
      log_line(out, t);
  }
}

void Generator::log_line(std::string& out, int64_t t) {
  // RFC 3339 text, cut up: 2026-11-21T10:00:00Z
  scratch_.clear();
  append_rfc3339(scratch_, record_time(t) / 1'000'000'000 * 1'000'000'000);
  const std::string_view r = scratch_;
  const int month = (r[5] - '0') * 10 + (r[6] - '0');
  auto part = [&](size_t i) { value(out, spec_.models[i], state_[i], false, false); };
  if (spec_.format == Format::Combined) {
    part(0);  // host
    out.append(" - ");
    part(1);  // user
    out.append(" [");
    out.append(r.substr(8, 2));
    out.push_back('/');
    out.append(kMonthAbbrev[month - 1]);
    out.push_back('/');
    out.append(r.substr(0, 4));
    out.push_back(':');
    out.append(r.substr(11, 8));
    out.append(" +0000] \"");
    part(2);  // method
    out.push_back(' ');
    part(3);  // path
    out.append(" HTTP/1.1\" ");
    part(4);  // status
    out.push_back(' ');
    // bytes: a whole number (or a label, such as "-")
    const Sample s = next_sample(spec_.models[5], rng_, state_[5]);
    if (s.type == Sample::Type::Label)
      out.append(spec_.models[5].text[s.label]);
    else
      append_int(out, s.type == Sample::Type::Int ? s.i : int64_t(std::llround(std::max(0.0, s.d))));
    out.append(" \"");
    part(6);  // referer
    out.append("\" \"");
    part(7);  // agent
    out.append("\"\n");
  } else {
    out.append(kMonthAbbrev[month - 1]);
    out.push_back(' ');
    out.push_back(r[8] == '0' ? ' ' : r[8]);
    out.push_back(r[9]);
    out.push_back(' ');
    out.append(r.substr(11, 8));
    out.push_back(' ');
    part(0);  // host
    out.push_back(' ');
    part(1);  // app
    out.push_back('[');
    part(2);  // pid
    out.append("]: ");
    part(3);  // message
    out.push_back('\n');
  }
}

void Generator::tick(std::string& out, int64_t t_ns) {
  const size_t n = lines_per_tick();
  for (size_t k = 0; k < n; ++k) record(out, t_ns, k);
}

}  // namespace su::gen
