// The layer every tool shares: the common options, diagnostics and rejects,
// signal handling, and the mapping of errors to exit status (CONTRACT 5, 6).
#pragma once
#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "su/input.hpp"
#include "su/output.hpp"

namespace su {

enum ExitStatus : int { kOk = 0, kRejected = 1, kUsage = 2, kFatal = 3 };

enum class Control : uint8_t { Auto, Always, Never };

struct CommonOptions {
  std::vector<std::string> inputs;  // files to read; empty = stdin
  std::string rejects;              // --rejects FILE
  bool strict = false;              // --strict
  Control control = Control::Auto;  // --control=auto|always|never
  bool quiet = false;               // -q
  std::string max_line = "64M";     // --max-line SIZE as given (for messages); checked when parsed
  size_t max_line_bytes() const;
  // Whether to write control records (auto: when stdout is a pipe or a socket).
  bool control_enabled() const;
};

// Adds --rejects, --strict, --control, -q/--quiet, --max-line, -h/--help and
// --version (their help and man page text are written here only), the
// hidden --generate=man|bash|zsh|fish (docs.hpp) and, when with_inputs, the
// positional FILE... arguments. Call it after the tool's own options.
void add_common_options(CLI::App& app, CommonOptions& opts, bool with_inputs = true);
// Only -h/--help, --version and the hidden --generate, for a tool that reads
// no input (stream-gen); add_common_options calls it.
void add_standard_options(CLI::App& app);

// Thrown by Diagnostics::reject under --strict; main() maps it to status 3.
struct StrictStop : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Rejected lines and warnings: `tool: file:line: message` on stderr (the first
// 10 in full, then a count at the end), and each reject as an NDJSON record in
// the --rejects file.
class Diagnostics {
 public:
  Diagnostics(std::string tool, const CommonOptions& opts);
  ~Diagnostics();
  void reject(std::string_view source, uint64_t line, std::string_view raw, std::string_view reason);
  // An over-long line (Line::too_long) holds only the first --max-line bytes:
  // its record says `"truncated":true` and the whole `"length"`, which the
  // input reader reports once it has read to the line's end (long_line()),
  // so the record may be written a little later than its stderr line.
  void reject(const Line& line, std::string_view reason);
  // From InputReader::on_long_line (flush_before_block connects them).
  void long_line(std::string_view source, uint64_t line, uint64_t length);
  // A warning that is not about one line: `tool: message`.
  void warn(std::string_view message);
  // A warning about input known to be lost (a rotated file gone before it
  // was read): the exit status is 1, as with a rejected line.
  void warn_lost(std::string_view message) {
    warn(message);
    lost_ = true;
  }
  uint64_t rejected() const { return rejected_; }
  // Also called with each reject (HTTP ingest tells each client its own).
  void on_reject(std::function<void(std::string_view source, uint64_t line, std::string_view reason)> fn) {
    on_reject_ = std::move(fn);
  }
  // Prints the summary and flushes the rejects file.
  void finish();
  void flush();
  int exit_status() const { return rejected_ || lost_ ? kRejected : kOk; }
  // What every tool does first with a line: a blank one is skipped, an
  // over-long one rejected. True when the line was one of those (done with).
  bool skip_blank_or_too_long(const Line& line);
  // The reject reason of a line longer than --max-line.
  std::string too_long_reason() const { return "line longer than --max-line (" + max_line_ + ")"; }
  const std::string& tool() const { return tool_; }

 private:
  std::string tool_;
  bool quiet_, strict_;
  std::string max_line_;  // --max-line as given, for the reject reason
  uint64_t rejected_ = 0;
  bool lost_ = false;
  std::unique_ptr<Output> rejects_;
  std::function<void(std::string_view, uint64_t, std::string_view)> on_reject_;
  struct LongLine {
    std::string source, raw, reason;
    uint64_t line = 0, length = 0;
  };
  LongLine known_;    // the last over-long line whose length the reader told
  LongLine pending_;  // an over-long line's reject waiting for its length (line != 0)
  void report(std::string_view source, uint64_t line, std::string_view reason);
  void write(std::string_view source, uint64_t line, std::string_view raw, std::string_view reason, bool truncated,
             uint64_t length);
  void write_pending(bool length_known);
};

// Connects a reader to what must happen before it blocks: flush stdout and
// the rejects file (CONTRACT 6: never hold output while waiting for input),
// after `first` (the sink commits there) when given.
void flush_before_block(InputReader& in, Output& out, Diagnostics& diag, std::function<void()> first = {});

// Runs a tool: parses argv with CLI11 (help/version to stdout, status 0; a bad
// option: one line and a hint on stderr, status 2; --generate: the docs to
// stdout, status 0), installs the SIGINT/SIGTERM
// handlers, runs body, maps su::Fatal / UsageError / BrokenPipe / StrictStop to
// the exit status, and finally dies by the stop signal if one arrived.
int run_tool(CLI::App& app, int argc, char** argv, const std::function<int()>& body);

}  // namespace su
