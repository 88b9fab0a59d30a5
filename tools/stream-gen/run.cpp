// The stream-gen loop (see run.hpp).
#include "run.hpp"

#include <time.h>

#include <charconv>
#include <cmath>
#include <random>

#include "su/core/error.hpp"
#include "su/gen/rate.hpp"
#include "su/output.hpp"
#include "su/signals.hpp"
#include "su/time/timeparse.hpp"
#include "su/tool.hpp"

namespace stream_gen {
namespace {

int64_t clock_ns(clockid_t id) {
  timespec ts;
  clock_gettime(id, &ts);
  return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Sleeps until the monotonic time t; false when a stop signal came first.
bool sleep_until(int64_t t) {
  timespec ts{time_t(t / 1'000'000'000), long(t % 1'000'000'000)};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR)
    if (su::stop_requested()) return false;
  return !su::stop_requested();
}

double parse_percent(const std::string& s) {
  std::string_view v = s;
  if (!v.empty() && v.back() == '%') v.remove_suffix(1);
  double p = -1;
  auto r = std::from_chars(v.data(), v.data() + v.size(), p);
  if (r.ec != std::errc() || r.ptr != v.data() + v.size() || !(p >= 0 && p <= 100))
    throw su::UsageError("--late: expected a share from 0% to 100%, got '" + s + "'");
  return p / 100;
}

}  // namespace

su::gen::Spec make_spec(const Options& o) {
  su::gen::Spec spec;
  spec.format = o.format;
  spec.decimals = o.decimals;
  const bool log = su::gen::is_log_format(o.format);
  if (log && o.time_field) throw su::UsageError("--time-field: log lines have their time in their own place");
  spec.time_field = log ? "" : o.time_field.value_or("timestamp");
  if (!o.keys.empty()) {
    size_t eq = o.keys.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == o.keys.size())
      throw su::UsageError("--keys: expected FIELD=K1,K2,..., got '" + o.keys + "'");
    spec.key_field = o.keys.substr(0, eq);
    std::string_view list = std::string_view(o.keys).substr(eq + 1);
    for (size_t b = 0;;) {
      size_t c = list.find(',', b);
      std::string k(list.substr(b, c == std::string_view::npos ? c : c - b));
      if (k.empty()) throw su::UsageError("--keys: empty key in '" + o.keys + "'");
      spec.keys.push_back(k);
      if (c == std::string_view::npos) break;
      b = c + 1;
    }
  }
  for (const auto& m : o.models) spec.models.push_back(su::gen::parse_model(m));
  spec.disorder_ns = o.disorder_ns.value_or(0);
  if (!o.late.empty()) spec.late_fraction = parse_percent(o.late);
  if (!o.start.empty() && !su::parse_rfc3339(o.start))
    throw su::UsageError("--start: invalid time '" + o.start + "' (expected RFC 3339, e.g. 2026-11-21T10:00:00Z)");
  if (o.step_ns && o.start.empty()) throw su::UsageError("--step: needs --start (simulated time)");
  if (o.step_ns && *o.step_ns <= 0) throw su::UsageError("--step: expected a positive duration");
  return spec;
}

int run(const Options& o, const su::gen::Spec& spec) {
  uint64_t seed = o.seed ? *o.seed : (uint64_t(std::random_device{}()) << 32 ^ uint64_t(clock_ns(CLOCK_REALTIME)));
  su::gen::Generator gen(spec, seed);
  su::Output out(1);
  out.write(gen.header());

  const double period = o.rate.empty() ? 0 : *su::gen::parse_rate(o.rate);
  const bool simulated = !o.start.empty();
  const int64_t start = simulated ? *su::parse_rfc3339(o.start) : 0;
  const int64_t step = o.step_ns ? *o.step_ns : period > 0 ? int64_t(std::llround(period)) : 1'000'000'000;
  const int64_t t0 = clock_ns(CLOCK_MONOTONIC);
  const int64_t count = o.count.value_or(-1);
  const int64_t duration = o.duration_ns.value_or(-1);

  for (int64_t i = 0; i != count; ++i) {
    if (su::stop_requested()) break;
    if (period > 0) {
      const int64_t due = t0 + int64_t(double(i) * period);
      if (clock_ns(CLOCK_MONOTONIC) < due) {
        out.flush();  // never hold records while waiting
        if (!sleep_until(due)) break;
      }
    }
    int64_t t;
    if (simulated) {
      t = start + i * step;
      if (duration >= 0 && i * step >= duration) break;
    } else {
      if (duration >= 0 && clock_ns(CLOCK_MONOTONIC) - t0 >= duration) break;
      t = clock_ns(CLOCK_REALTIME) / 1'000'000 * 1'000'000;  // milliseconds
    }
    gen.tick(out.buf(), t);
    out.end_record();
  }
  out.flush();
  return su::kOk;
}

}  // namespace stream_gen
