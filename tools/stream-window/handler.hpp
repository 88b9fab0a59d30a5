// What stream-window does with its input lines: blank ones skipped, control
// records passed through, records read (time, key) and given to the window
// engine, bad ones rejected. Whole blocks go through one simdjson stage 1
// (su::JsonBlockReader); what a block cannot do falls back to line by line.
#pragma once
#include <string>

#include "record.hpp"
#include "su/json/block.hpp"
#include "su/output.hpp"
#include "su/tool.hpp"
#include "su/window/engine.hpp"

namespace window_tool {

class Handler {
 public:
  struct Context {
    RecordReader& reader;
    su::WindowEngine& engine;
    su::Output& out;
    su::Diagnostics& diag;
    bool control;          // pass control records through
    bool processing_time;  // a record's time is the wall clock when it is read
  };
  explicit Handler(Context c) : c_(std::move(c)) {}

  // Every line of the block, in order, with exact line numbers in rejects.
  void block(const su::Block& b);
  void line(const su::Line& l);

 private:
  void pass_through(std::string_view text);
  int64_t record_time() const;

  Context c_;
  su::JsonBlockReader blocks_;
  su::JsonLineParser validator_;  // the per-line path checks the whole line
};

}  // namespace window_tool
