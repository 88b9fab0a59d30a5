// The stream-agg loop: reads records, updates their groups, closes groups on
// close control records, prints snapshots with --every, and emits whatever
// is open at end of input or on SIGINT/SIGTERM.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "su/agg/functions.hpp"
#include "su/tool.hpp"
#include "su/window_handler.hpp"

namespace stream_agg {

struct Options {
  su::CommonOptions common;
  std::vector<std::string> by;
  std::vector<std::string> args;  // SPECs and input files
  std::vector<su::agg::Spec> specs;
  bool approx = false;
  int64_t every_ns = 0;  // --every, checked when parsed; 0: no snapshots
  bool emit_state = false;
  bool merge = false;
  size_t parts = 1;  // --parts: closes needed per window with --merge
  // Window options: the windows of stream-window in this process, as
  // `stream-window ... | stream-agg ...` would give them.
  su::WindowArgs window;
};

// How stream-agg names the window options that differ from stream-window's:
// its --every is the snapshots, and --by keys the groups (and the sessions
// and count windows).
inline constexpr su::WindowOptionNames kWindowNames{"--step", false, "*Memory bound* in stream-window(1)"};

// Splits args into SPECs and files, checks --by and the output names.
// Throws su::UsageError.
void resolve_arguments(Options& o);

int run(Options& o);

}  // namespace stream_agg
