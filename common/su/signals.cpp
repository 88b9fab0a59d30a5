// Storage for the stop flag shared by the signal handler and the readers.
#include "su/signals.hpp"

namespace su {
namespace {
volatile std::sig_atomic_t g_signal = 0;
volatile std::sig_atomic_t g_count = 0;
}  // namespace

int stop_signal() noexcept {
  return g_signal;
}
int stop_count() noexcept {
  return g_count;
}
void note_stop_signal(int sig) noexcept {
  g_signal = sig;
  g_count = g_count + 1;
}

}  // namespace su
