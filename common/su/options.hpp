// Typed options: each value is checked and converted when the command line is
// parsed, so a bad one is a usage error (status 2) whose one-line message
// names the option (`stream-window: --grace: invalid duration 'soon' ...`),
// even on empty input. Each helper also records what the docs generator
// (docs.hpp) needs beyond CLI11's own description: the values an option
// takes, whether it names a file, and more text for the man page.
#pragma once
#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace su {

// One value an option takes: its name, one line of help, what the man page
// adds (docs markup, see docs.hpp), and the words the completions offer for
// it (default: the name itself).
struct Choice {
  std::string name;
  std::string help;
  std::string doc = {};
  std::vector<std::string> words = {};
};

// What the docs know of an option beyond its CLI11 description.
struct OptionDoc {
  std::string man;                    // the man page's text after the --help line (docs markup)
  std::vector<Choice> choices;        // every value it takes; for a positional, the words before files
  std::vector<std::string> examples;  // values the completions suggest (not every value there is)
  enum class Value : uint8_t { Text, File, Directory } value = Value::Text;
  std::string exclusive;  // options that name the same set here exclude each other
  std::string section;    // the choices get a man page region of this name (e.g. "functions")
};
// The doc of an option, created empty on first use.
OptionDoc& doc(const CLI::Option* opt);

// What the completions suggest for a duration (250ms, 1s, ... 1d) and for a
// size (4096, 64K, ... 1G).
const std::vector<std::string>& duration_examples();
const std::vector<std::string>& size_examples();

// Validators. As ->transform(), they convert the text (a duration to
// nanoseconds, a size to bytes); as ->check(), they only check it. Their
// messages are the reason alone: CLI11 puts the option's name before it.
// `positive` names what a duration of 0 would be ("the period") when 0 is
// refused.
CLI::Validator duration_ns(const char* positive = nullptr);
CLI::Validator size_bytes();
CLI::Validator positive_count(const std::string& things);  // "expected a positive number of records, got '0'"
// "hex not in {iso,epoch,epoch_ms}", and " (did you mean 'epoch'?)" for a close name.
CLI::Validator one_of(const std::vector<Choice>& choices);

// After a parse that failed on arguments CLI11 did not expect: the hint for
// the first unknown long option (`--by-key`, `--evry=5s`), " (did you mean
// '--by'?)", when one of the app's visible options is close; else empty.
std::string unknown_option_hint(const CLI::App& app);

// --help's description of an option with choices: help, then one line per
// choice that has help.
std::string help_with_choices(const std::string& help, const std::vector<Choice>& choices);

// Adders: the option, its validator and its docs in one step. Each returns
// the option for more settings (->type_name(), ->group()).
CLI::Option* add_duration(CLI::App& app, const std::string& names, int64_t& ns, const std::string& help,
                          const char* positive = nullptr);
CLI::Option* add_duration(CLI::App& app, const std::string& names, std::optional<int64_t>& ns, const std::string& help,
                          const char* positive = nullptr);
CLI::Option* add_size(CLI::App& app, const std::string& names, uint64_t& bytes, const std::string& help);
CLI::Option* add_count(CLI::App& app, const std::string& names, std::optional<int64_t>& n, const std::string& help,
                       const std::string& things);
CLI::Option* add_count(CLI::App& app, const std::string& names, size_t& n, const std::string& help,
                       const std::string& things);
CLI::Option* add_file(CLI::App& app, const std::string& names, std::string& path, const std::string& help);
// A name out of choices; --help lists the choices that have help.
CLI::Option* add_choice(CLI::App& app, const std::string& names, std::string& value, std::vector<Choice> choices,
                        const std::string& help);

// An enum set by the name of one of its values.
template <class E>
struct Named {
  Choice choice;
  E value;
};

template <class E>
CLI::Option* add_enum(CLI::App& app, const std::string& names, E& value, const std::vector<Named<E>>& table,
                      const std::string& help) {
  std::vector<Choice> choices;
  for (const auto& n : table) choices.push_back(n.choice);
  auto set = [&value, table](const std::string& name) {
    for (const auto& n : table)
      if (n.choice.name == name) value = n.value;
  };
  CLI::Option* o = app.add_option_function<std::string>(names, set, help_with_choices(help, choices));
  o->check(one_of(choices));
  doc(o).choices = choices;
  return o;
}

// The token of a --token FILE (its first line; su::serve::token_from_file_text):
// stream-serve's and stream-parse's HTTP ingest. Throws su::Fatal when it
// cannot be read, su::UsageError when it holds none.
std::string read_token_file(const std::string& path);

}  // namespace su
