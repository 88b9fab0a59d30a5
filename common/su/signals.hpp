// The stop flag set by SIGINT/SIGTERM. lib/ only reads it (the input reader
// stops reading once it is set); common/su/tool.cpp installs the handlers.
#pragma once
#include <pthread.h>

#include <csignal>
#include <thread>
#include <utility>

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

// A thread that never takes SIGINT or SIGTERM (a new thread inherits the
// signal mask it is started with): the tool's own thread, waiting in poll(),
// is the one they must interrupt.
template <class F>
std::thread thread_without_stop_signals(F&& f) {
  sigset_t stop, old;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, &old);
  std::thread t(std::forward<F>(f));
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return t;
}

}  // namespace su
