// The stream-gen loop: ticks at --rate (or as fast as stdout takes them), each
// tick's time from the clock or from --start/--step, until --count ticks,
// --duration, a closed stdout or SIGINT/SIGTERM.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "su/gen/generator.hpp"

namespace stream_gen {

struct Options {
  std::vector<std::string> models;  // NAME=FUNC(ARGS)
  std::string rate, keys, start, late;
  std::optional<int64_t> count, step_ns, duration_ns, disorder_ns;
  std::optional<uint64_t> seed;
  su::gen::Format format = su::gen::Format::Ndjson;
  std::optional<std::string> time_field;  // default timestamp
  int decimals = 2;
};

// Builds the generator's spec from the options; throws su::UsageError.
su::gen::Spec make_spec(const Options& o);

int run(const Options& o, const su::gen::Spec& spec);

}  // namespace stream_gen
