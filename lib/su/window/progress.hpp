// Event-time progress while input is idle: when the stream's time moves on
// without a record. In processing time it is the wall clock; in event time
// with --idle D, after D without input every open window is taken as
// complete: the stream's time moves on past the last of them (at least by
// the idle time), so a live stream's windows are out within D of its last
// record, and records for them that come later are rejected as late.
// The caller reads the clocks and passes them in (tests need no sleeping).
#pragma once
#include <cstdint>

#include "su/window/engine.hpp"

namespace su {

class Progress {
 public:
  Progress(bool processing_time, int64_t idle_ns, WindowEngine& engine)
      : processing_(processing_time), idle_(idle_ns), engine_(engine) {}

  bool processing_time() const { return processing_; }
  // Whether tick() does anything (else the caller need not read clocks).
  bool active() const { return processing_ || idle_ > 0; }

  // A line arrived: the idle timer starts again from the next tick.
  void on_input() { input_seen_ = true; }

  // Moves the stream's time if it is due, given the monotonic clock and the
  // wall clock (ns); returns how long to wait for input in ms (-1: no limit).
  int tick(int64_t mono_ns, int64_t real_ns);

 private:
  static int wait_ms(int64_t ns);

  bool processing_;
  int64_t idle_;
  WindowEngine& engine_;
  int64_t last_input_ = 0, base_ = 0;
  bool input_seen_ = false;
};

}  // namespace su
