// The stop flag set by SIGINT/SIGTERM. lib/ only reads it (the input reader
// stops reading once it is set); common/su/tool.cpp installs the handlers.
#pragma once
#include <csignal>

namespace su {

// The signal number that asked the tool to stop, or 0.
int stop_signal() noexcept;
inline bool stop_requested() noexcept {
  return stop_signal() != 0;
}
// How many stop signals arrived (a second one means "stop at once").
int stop_count() noexcept;
// For the handler and for tests.
void note_stop_signal(int sig) noexcept;

}  // namespace su
