// stream-gen's record generator: per tick, one record per key, its time, key
// and model fields, written as NDJSON, CSV or logfmt, or log lines in the
// combined (access log) and syslog formats, whose parts are models too.
// Appends text to a string; the tool decides when ticks happen.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "su/gen/model.hpp"
#include "su/gen/rng.hpp"

namespace su::gen {

enum class Format : uint8_t { Ndjson, Csv, Logfmt, Combined, Syslog };

struct FormatInfo {
  Format format;
  const char* name;
  const char* help;
};
const std::vector<FormatInfo>& format_table();
bool is_log_format(Format f);
// The parts of a log line that a model may replace, with their default models,
// for --help and the docs: "host=choice(...)" per line.
std::vector<std::string> log_parts(Format f);

struct Spec {
  Format format = Format::Ndjson;
  std::string time_field = "timestamp";  // empty: no time field (record formats)
  std::string key_field;                 // --keys FIELD=K1,K2: one record per key per tick
  std::vector<std::string> keys;
  std::vector<Model> models;
  int decimals = 2;          // digits after the point of non-integer numbers
  int64_t disorder_ns = 0;   // each time goes back by up to this much
  double late_fraction = 0;  // this share goes back by 2 to 3 times the disorder (1m without one)
};

class Generator {
 public:
  // Throws su::UsageError for a spec that cannot be generated (a model for a
  // part the log format does not have, keys with a log format, a field twice).
  Generator(Spec spec, uint64_t seed);
  // The CSV header line (empty for the other formats).
  std::string header() const;
  // One tick at time t_ns: one line per key (or one line without keys).
  void tick(std::string& out, int64_t t_ns);
  size_t lines_per_tick() const { return spec_.keys.empty() ? 1 : spec_.keys.size(); }

 private:
  int64_t record_time(int64_t t_ns);
  void record(std::string& out, int64_t t_ns, size_t key);
  void log_line(std::string& out, int64_t t_ns);
  void value(std::string& out, const Model& m, double& state, bool json, bool quote_text);

  Spec spec_;
  Rng rng_;
  std::vector<double> state_;  // per key, per model
  std::vector<std::string> key_json_, key_text_, name_json_, name_text_;
  double scale_ = 100;
  // log formats: the index of each part's model in spec_.models
  std::vector<size_t> part_;
  std::string scratch_;
};

}  // namespace su::gen
