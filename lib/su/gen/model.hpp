// stream-gen's field models: `NAME=FUNC(ARGS)` (`temperature=walk(20,0.5)`,
// `status=choice(ok:90,warn:9,fail:1)`), one table of functions that drives
// parsing, --help and the docs, and the next value of a model from a seeded Rng.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "su/gen/rng.hpp"

namespace su::gen {

enum class Kind : uint8_t { Walk, Uniform, Normal, Lognormal, Int, Choice, Seq };

// One row of the model table: the function, how it is called, what it draws.
struct ModelInfo {
  Kind kind;
  const char* name;       // walk
  const char* signature;  // walk(START,STEP)
  const char* help;
  int min_args, max_args;  // numeric arguments (choice: its items)
};
const std::vector<ModelInfo>& model_table();

struct Model {
  std::string field;
  Kind kind = Kind::Uniform;
  double a = 0, b = 0;    // the arguments, by position
  bool integral = false;  // seq with whole arguments: integers
  // choice: each label as JSON (a number stays a number) and as plain text,
  // and the cumulative weights, the last one 1.
  std::vector<std::string> json, text;
  std::vector<double> cumulative;
};

// Parses `NAME=FUNC(ARGS)`; throws su::UsageError with the reason.
Model parse_model(std::string_view spec);

// One drawn value: a number (integer or not) or the index of a choice label.
struct Sample {
  enum class Type : uint8_t { Int, Double, Label } type = Type::Double;
  int64_t i = 0;
  double d = 0;
  size_t label = 0;
};

// A model's state for one key (walk: the position; seq: the next value).
double initial_state(const Model& m);
// Draws the next value and advances the state.
Sample next_sample(const Model& m, Rng& rng, double& state);

}  // namespace su::gen
