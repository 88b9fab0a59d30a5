// Common options, diagnostics, rejects, signals and exit status.
#include "su/tool.hpp"

#include <signal.h>
#include <simdjson.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "su/core/error.hpp"
#include "su/core/json_write.hpp"
#include "su/core/units.hpp"
#include "su/docs.hpp"
#include "su/json/control.hpp"
#include "su/options.hpp"
#include "su/signals.hpp"

namespace su {

size_t CommonOptions::max_line_bytes() const {
  return size_t(size_arg("--max-line", max_line));
}

bool CommonOptions::control_enabled() const {
  if (control == Control::Always) return true;
  if (control == Control::Never) return false;
  // auto (CONTRACT 3): to a pipe or a socket, the next stage of a pipeline;
  // not to a terminal, and not to a regular file of results.
  struct stat st;
  return ::fstat(1, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

namespace {
// Thrown by the hidden --generate while argv is parsed; run_tool prints the docs.
struct GenerateDocs {
  std::string kind;
};

// CLI11's help, with one blank line between groups (CLI11 2.1 puts two when
// a hidden option comes last).
class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const override {
    std::string h = CLI::Formatter::make_help(app, std::move(name), mode);
    for (size_t i; (i = h.find("\n\n\n")) != std::string::npos;) h.erase(i, 1);
    return h;
  }
  // The tool's footer, then its examples and the exit statuses.
  std::string make_footer(const CLI::App* app) const override {
    std::string f = CLI::Formatter::make_footer(app);
    if (!f.empty()) f += "\n";
    return f + help_epilogue(*app);
  }
};
}  // namespace

void add_common_options(CLI::App& app, CommonOptions& o, bool with_inputs) {
  const std::string group = "Common options";
  app.formatter(std::make_shared<HelpFormatter>());
  if (with_inputs) {
    CLI::Option* files = app.add_option("files", o.inputs, "Input files, read in order (default or '-': stdin)");
    doc(files->type_name("FILE")).value = OptionDoc::Value::File;
  }
  CLI::Option* rejects = add_file(app, "--rejects", o.rejects, "Write each rejected line as an NDJSON record to FILE");
  rejects->group(group);
  doc(rejects).man =
      "The record is `{\"source\":\"in.csv\",\"line\":42,\"reason\":\"...\",\"raw\":\"...\"}`, so nothing is "
      "lost and the line can be fixed and replayed. A line that is not valid UTF-8 is carried as `raw_base64` "
      "instead of `raw`, byte for byte; a line longer than --max-line has its first --max-line bytes, "
      "`\"truncated\":true` and its whole `\"length\"` in bytes.";
  CLI::Option* strict = app.add_flag("--strict", o.strict, "Stop at the first rejected line (exit status 3)");
  doc(strict->group(group)).man = "What was processed before it is still written out (and committed).";
  CLI::Option* control = add_enum<Control>(
      app, "--control", o.control,
      {{{"auto", ""}, Control::Auto}, {{"always", ""}, Control::Always}, {{"never", ""}, Control::Never}},
      "Write control records: auto (when stdout is a pipe or a socket), always, never");
  doc(control->type_name("WHEN")->group(group)).man =
      "Control records (JSON objects whose first member is `" + std::string(control::kMember) +
      "`, such as the `close` of a window) tell the "
      "next tool of a pipeline how the stream goes on; `auto` is the default, `never` suits a reader such as jq. "
      "It decides only what is written: a tool acts on the control records it reads in every case.";
  CLI::Option* quiet =
      app.add_flag("-q,--quiet", o.quiet, "Do not report rejected lines on stderr (they are still counted)");
  doc(quiet->group(group)).man = "A rejected line still makes the exit status 1.";
  CLI::Option* max_line =
      app.add_option("--max-line", o.max_line, "Longest accepted line (longer ones are rejected); default 64M");
  doc(max_line->check(size_bytes())->type_name("SIZE")->group(group)).man =
      "A longer line (or CSV record) is rejected, not fatal. Suffixes `K`, `M` and `G` count in powers of 1024.";
  doc(max_line).examples = size_examples();
  add_standard_options(app);
}

void add_standard_options(CLI::App& app) {
  const std::string group = "Common options";
  app.formatter(std::make_shared<HelpFormatter>());
  // --help and --version last, in the same group.
  app.set_help_flag("-h,--help", "Print this help and exit")->group(group);
  app.set_version_flag("--version", std::string(app.get_name()) + " (stream-utils) " STREAM_UTILS_VERSION,
                       "Print the version and exit")
      ->group(group);
  app.add_option_function<std::string>("--generate", [](const std::string& kind) { throw GenerateDocs{kind}; })
      ->group("")  // hidden: not in --help, the man page or the completions
      ->trigger_on_parse();
}

Diagnostics::Diagnostics(std::string tool, const CommonOptions& o)
    : tool_(std::move(tool)), quiet_(o.quiet), strict_(o.strict), max_line_(o.max_line) {
  if (!o.rejects.empty()) rejects_ = std::make_unique<Output>(Output::open_file(o.rejects));
}

Diagnostics::~Diagnostics() = default;

void Diagnostics::write(std::string_view source, uint64_t line, std::string_view raw, std::string_view reason,
                        bool truncated, uint64_t length) {
  std::string& b = rejects_->buf();
  b.append("{\"source\":");
  append_json_string(b, source);
  b.append(",\"line\":");
  append_int(b, int64_t(line));
  b.append(",\"reason\":");
  append_json_string(b, reason);
  // Bytes that are not UTF-8 cannot be a JSON string without changing them:
  // such a line is carried whole, as base64.
  if (simdjson::validate_utf8(raw.data(), raw.size())) {
    b.append(",\"raw\":");
    append_json_string(b, raw);
  } else {
    b.append(",\"raw_base64\":\"");
    append_base64(b, raw);
    b.push_back('"');
  }
  if (truncated) {
    b.append(",\"truncated\":true");
    if (length) {
      b.append(",\"length\":");
      append_int(b, int64_t(length));
    }
  }
  b.append("}\n");
  rejects_->end_record();
}

void Diagnostics::report(std::string_view source, uint64_t line, std::string_view reason) {
  ++rejected_;
  if (on_reject_) on_reject_(source, line, reason);
  if (strict_) {
    write_pending(false);
    flush();
    throw StrictStop(std::string(source) + ":" + std::to_string(line) + ": " + std::string(reason));
  }
  if (!quiet_ && rejected_ <= 10) {
    std::fprintf(stderr, "%s: %.*s:%llu: %.*s\n", tool_.c_str(), int(source.size()), source.data(),
                 static_cast<unsigned long long>(line), int(reason.size()), reason.data());
  }
}

void Diagnostics::reject(std::string_view source, uint64_t line, std::string_view raw, std::string_view reason) {
  if (rejects_) {
    write_pending(false);  // in line order
    write(source, line, raw, reason, false, 0);
  }
  report(source, line, reason);
}

void Diagnostics::reject(const Line& l, std::string_view reason) {
  if (!l.too_long) return reject(l.source, l.number, l.text, reason);
  if (rejects_) {
    write_pending(false);
    if (known_.line == l.number && known_.source == l.source) {
      write(l.source, l.number, l.text, reason, true, known_.length);
    } else {
      pending_.source = l.source;
      pending_.line = l.number;
      pending_.raw = l.text;
      pending_.reason = reason;
      pending_.length = 0;
    }
  }
  report(l.source, l.number, reason);
}

void Diagnostics::long_line(std::string_view source, uint64_t line, uint64_t length) {
  known_.source = source;
  known_.line = line;
  known_.length = length;
  if (pending_.line == line && pending_.source == source) {
    pending_.length = length;
    write_pending(true);
  }
}

void Diagnostics::write_pending(bool length_known) {
  if (pending_.line == 0 || !rejects_) return;
  write(pending_.source, pending_.line, pending_.raw, pending_.reason, true, length_known ? pending_.length : 0);
  pending_ = LongLine{};
}

bool Diagnostics::skip_blank_or_too_long(const Line& line) {
  if (line.too_long) {
    reject(line, too_long_reason());
    return true;
  }
  return is_blank(line.text);
}

void Diagnostics::warn(std::string_view message) {
  if (!quiet_) std::fprintf(stderr, "%s: %.*s\n", tool_.c_str(), int(message.size()), message.data());
}

void Diagnostics::flush() {
  if (rejects_) rejects_->flush();
}

void Diagnostics::finish() {
  write_pending(false);  // input stopped inside the line: its length is not known
  flush();
  if (!quiet_ && rejected_ > 10) {
    std::fprintf(stderr, "%s: %llu lines rejected in all (%llu not shown above)%s\n", tool_.c_str(),
                 static_cast<unsigned long long>(rejected_), static_cast<unsigned long long>(rejected_ - 10),
                 rejects_ ? "" : "; --rejects FILE keeps them");
  }
}

void flush_before_block(InputReader& in, Output& out, Diagnostics& diag, std::function<void()> first) {
  in.on_long_line(
      [&diag](std::string_view source, uint64_t line, uint64_t length) { diag.long_line(source, line, length); });
  in.on_before_block([&out, &diag, first = std::move(first)] {
    if (first) first();
    out.flush();
    diag.flush();
  });
}

namespace {
void on_stop_signal(int sig) {
  note_stop_signal(sig);
}

void install_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocked read returns EINTR
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a closed stdout shows up as EPIPE
}

void die_by_stop_signal() {
  int sig = stop_signal();
  if (sig == 0) return;
  std::fflush(nullptr);
  signal(sig, SIG_DFL);
  raise(sig);
}
}  // namespace

int run_tool(CLI::App& app, int argc, char** argv, const std::function<int()>& body) {
  const std::string name = app.get_name();
  try {
    app.parse(argc, argv);
  } catch (const GenerateDocs& g) {
    try {
      std::string text = generate_docs(app, g.kind);
      std::fwrite(text.data(), 1, text.size(), stdout);
      return std::fflush(stdout) == 0 ? kOk : kFatal;
    } catch (const UsageError& e) {
      std::fprintf(stderr, "%s: %s\nTry '%s --help' for more information.\n", name.c_str(), e.what(), name.c_str());
      return kUsage;
    }
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string msg = e.what();
    if (!msg.empty()) msg[0] = char(std::tolower(static_cast<unsigned char>(msg[0])));
    if (dynamic_cast<const CLI::ExtrasError*>(&e)) msg += unknown_option_hint(app);
    std::fprintf(stderr, "%s: %s\nTry '%s --help' for more information.\n", name.c_str(), msg.c_str(), name.c_str());
    return kUsage;
  }
  install_handlers();
  int status;
  try {
    status = body();
  } catch (const UsageError& e) {
    std::fprintf(stderr, "%s: %s\nTry '%s --help' for more information.\n", name.c_str(), e.what(), name.c_str());
    return kUsage;
  } catch (const BrokenPipe&) {
    // The reader went away: nothing more to say. After a stop signal, the
    // signal decides the status (the next stage often ends on the same
    // Ctrl-C, so EPIPE is the usual way a stopped tool's last write ends).
    status = kOk;
  } catch (const StrictStop& e) {
    std::fprintf(stderr, "%s: %s (stopped by --strict)\n", name.c_str(), e.what());
    status = kFatal;
  } catch (const Fatal& e) {
    std::fprintf(stderr, "%s: %s\n", name.c_str(), e.what());
    status = kFatal;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "%s: out of memory\n", name.c_str());
    status = kFatal;
  }
  die_by_stop_signal();
  return status;
}

}  // namespace su
