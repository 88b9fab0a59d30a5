// Window assigners (CONTRACT section 4): which windows a record belongs to.
// Time windows are aligned to the Unix epoch in UTC and half-open
// [start, end); count windows are numbered from 1 per key.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace su {

enum class WindowKind : uint8_t { Tumbling, Hopping, Session, Count };

struct WindowSpec {
  WindowKind kind = WindowKind::Tumbling;
  int64_t size = 0;   // tumbling, hopping: window length in ns; count: records per window
  int64_t every = 0;  // hopping: ns between window starts; count: records between window ends (slide)
  int64_t gap = 0;    // session: ns without a record of the key that ends its session
  bool uses_time() const { return kind != WindowKind::Count; }
};

// The window kinds: one row each drives stream-window's option for it, its
// --help and docs, and the reading of its value into the spec.
struct WindowKindInfo {
  WindowKind kind;
  const char* option;      // "--tumbling"
  const char* value_name;  // "SIZE"
  const char* help;        // one line, for --help and the completions
  const char* doc;         // what the man page adds (`x`: literal, in bold; *x*: a placeholder)
  // Reads the option's value into the spec (the size of tumbling and
  // hopping windows, the gap of sessions, the records of count windows).
  // Returns "" or the reason the value is not one, for a usage error that
  // names the option. The one place a window's size is read.
  std::string (*read)(std::string_view value, WindowSpec& spec);
};
const std::vector<WindowKindInfo>& window_kinds();
// The row of that option ("--tumbling"), or nullptr.
const WindowKindInfo* find_window_kind(std::string_view option);

struct TimeWindow {
  int64_t start = 0, end = 0;
  bool operator==(const TimeWindow&) const = default;
};

// The tumbling window of length size that holds t.
TimeWindow tumbling_window(int64_t t, int64_t size);

// Every hopping window [k*every, k*every + size) that holds t, oldest first
// (size / every windows when every divides size). every <= size.
void hopping_windows(int64_t t, int64_t size, int64_t every, std::vector<TimeWindow>& out);

// Count windows of one key: window k ends at its (k*slide)-th record and
// holds the last `size` records up to it (fewer at the start). slide <= size;
// slide == size gives tumbling count windows.
struct CountRange {
  int64_t first = 0, last = 0;  // windows holding the record, inclusive
};
// The windows that hold the n-th record (1-based) of a key.
CountRange count_windows(uint64_t n, int64_t size, int64_t slide);
// The window that is complete once the n-th record arrived, or 0.
inline int64_t count_window_closing(uint64_t n, int64_t slide) {
  return n % uint64_t(slide) == 0 ? int64_t(n / uint64_t(slide)) : 0;
}

// Sessions of one key: a record at t opens [t, t + gap) or joins every open
// session it overlaps (t + gap > start and t < end); joined sessions merge.
// Returns the merged session; `merged` gets the indexes (into `open`, in
// increasing order) of the sessions it joined.
TimeWindow session_join(const std::vector<TimeWindow>& open, int64_t t, int64_t gap, std::vector<size_t>& merged);

}  // namespace su
