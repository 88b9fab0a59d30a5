// Windows on the command line, shared by stream-window and stream-agg's
// window options (one definition for both): the options (--tumbling,
// --hopping, --session, --count, --time, --grace, --late ...), their checks
// into a su::WindowOptions, and the record handler that reads a record's time
// (or takes the wall clock) and its --by key and gives it to the window
// engine; the shared record loop (su::RecordLoop) does the rest. While input
// is idle, the stream's time moves on (su::Progress).
#pragma once
#include <CLI/CLI.hpp>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "su/record_loop.hpp"
#include "su/time/timeparse.hpp"
#include "su/window/engine.hpp"
#include "su/window/progress.hpp"

namespace su {

// How a tool names the window options that differ: the step of hopping
// windows (stream-agg's --every is its snapshots), whether --by keys the
// windows only (stream-window: sessions and count windows; an error with
// tumbling and hopping windows, which are the same for every key), and
// where its man page explains the memory bound.
struct WindowOptionNames {
  const char* step = "--every";
  bool by_is_window_key = true;
  const char* memory_bound = "*Memory bound* above";  // where the man page says what --max-buffer counts
};

// The window options as given.
struct WindowArgs {
  // The window options given (--tumbling 1m ...), by option name; each value
  // is checked when parsed by its row of su::window_kinds().
  std::map<std::string, std::string, std::less<>> windows;
  std::string every;             // between hopping window starts, as given (placed by the --tz zone)
  std::optional<int64_t> slide;  // records between count window ends
  std::string time, time_format, tz;
  std::optional<int64_t> grace, idle;  // ns
  TimeOutput time_output = TimeOutput::Iso;
  uint64_t max_buffer = uint64_t(1) << 30;  // bytes
  std::string late = "reject";              // --late reject|correct
  // A window chosen (--tumbling, --hopping, --session or --count).
  bool windowed() const { return !windows.empty(); }
  // The first option given that only means something with a window (for
  // stream-agg, where windows are optional), or empty.
  std::string stray(const WindowOptionNames& names) const;
};

// Adds the window options to app: the kinds, the hopping step and --slide
// (group "Windows"); then, after the tool's --by, --max-buffer (also
// "Windows") and the options of time (group "Time").
void add_window_options(CLI::App& app, WindowArgs& a, const WindowOptionNames& names = {});
void add_time_options(CLI::App& app, WindowArgs& a, const WindowOptionNames& names = {});

// The options into an engine's options; throws UsageError on a bad
// combination. `by`: the --by fields given.
WindowOptions window_options(const WindowArgs& a, const std::vector<std::string>& by, bool control,
                             const WindowOptionNames& names = {});
// The parser of --time's values (--time-format, --tz); throws UsageError.
TimeParser window_time_parser(const WindowArgs& a);

// A field for the caller to read along (see WindowHandler), and whether its
// value, its canonical text or both are needed (su::FieldReader).
struct ExtraField {
  std::string name;
  bool value = true, text = true;
};

class WindowHandler : public RecordHandler {
 public:
  // time_field empty: processing time (the wall clock when a record is read).
  // `extra`: more fields for the caller to read from fields() (stream-agg's),
  // after the time field and the --by fields.
  WindowHandler(std::string time_field, const std::vector<std::string>& by, TimeParser parser, WindowEngine& engine,
                int64_t idle_ns, const std::vector<ExtraField>& extra = {});

  std::string read(const Line& line, simdjson::ondemand::document& doc) override;
  bool reads_elements() const override { return fields_.dom_ok(); }
  std::string read(const Line& line, simdjson::dom::element el) override;
  std::string apply(const Line& line) override;
  int timeout_ms() override;
  void after_block() override { progress_.on_input(); }
  void finish(bool) override;
  // Held until every window with a record from before it has closed for
  // good, then handed on with the watermark (CONTRACT 9); the first one,
  // ahead of any record, resumes the engine from its watermark.
  bool checkpoint(const Line& line, const control::Record& r) override;
  // Where checkpoints go when released (none: control records off, they are dropped).
  void checkpoints_to(std::function<void(const control::Checkpoint&)> to) { to_ = std::move(to); }
  // Where finish() warns about a --time or --by field that no record had.
  void warn_to(Diagnostics* diag) { diag_ = diag; }

  // The fields read: the time field, the --by fields, then `extra`, each once.
  FieldReader& fields() { return fields_; }
  size_t slot(std::string_view name) const;

 private:
  std::string time_error(const Value& v) const;  // why v is no time
  // After the fields were read (err: the reader's reason, or empty): the
  // time and the key, or why not.
  std::string take_fields(std::string err);

  std::string time_field_;
  TimeParser parser_;
  WindowEngine& engine_;
  Progress progress_;
  std::vector<std::string> names_;  // of the reader's fields, by slot
  size_t own_fields_ = 0;           // the time and --by fields: names_[0, own_fields_)
  FieldReader fields_;
  size_t time_slot_ = 0;
  bool time_value_kept_ = false;  // the caller reads the time field's value too (an extra field)
  std::vector<size_t> key_slots_;
  std::vector<std::string> key_prefix_;  // `"name":` for each --by field
  int64_t time_ = 0;
  std::string key_;
  Diagnostics* diag_ = nullptr;

  struct Pending {
    control::Checkpoint cp;
    uint64_t after = 0;  // records before it
    std::string replay;  // the watermark when it came (JSON), or empty
  };
  void release();  // hands on the pending checkpoints no open window depends on
  static std::string time_json(std::optional<int64_t> t);
  std::function<void(const control::Checkpoint&)> to_;
  std::deque<Pending> pending_;
  uint64_t checked_closes_ = 0;
};

}  // namespace su
