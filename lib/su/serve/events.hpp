// stream-serve's event history: a bounded ring of Server-Sent Events frames,
// numbered from 1. It is both the --history a client resumes from with
// Last-Event-ID and every client's queue: a client is a cursor into the ring,
// so publishing a record costs the same with any number of clients, and a
// client whose cursor the ring has passed (more than the ring holds behind
// the newest) has fallen behind and is dropped.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace su::serve {

// Appends one SSE frame: `id: ID`, `event: NAME` (when not empty), one
// `data:` line per line of data, then the blank line that ends the event.
void append_frame(std::string& out, uint64_t id, std::string_view event, std::string_view data);

class EventRing {
 public:
  // Holds the newest `capacity` events (at least 1), and fewer when their
  // frames would take more than `max_bytes` (the newest one is always held).
  explicit EventRing(size_t capacity, size_t max_bytes = size_t(-1));

  // Adds the next event; its id is newest() afterwards. The frame's text is
  // taken by swap: `frame` holds a spare buffer afterwards (for reuse).
  void push(std::string& frame);
  // Id of the newest event (0: none yet) and of the oldest one held.
  uint64_t newest() const { return next_ - 1; }
  uint64_t oldest() const { return next_ - size_; }
  size_t capacity() const { return slots_.size(); }
  size_t size() const { return size_; }
  size_t bytes() const { return bytes_; }

  // Where a client at `cursor` (the id of the last event it has) stands.
  struct Copy {
    uint64_t cursor = 0;  // the id of the last event copied
    uint64_t missed = 0;  // events no longer held that the client never had
  };
  // Appends the frames after `cursor` to `out`, oldest first, until `out`
  // holds at least `max_bytes` (at least one frame is copied when there is
  // one). Events older than oldest() are skipped and counted as missed.
  Copy copy_after(uint64_t cursor, size_t max_bytes, std::string& out) const;

 private:
  std::vector<std::string> slots_;
  uint64_t next_ = 1;  // id of the next event
  size_t size_ = 0;
  size_t bytes_ = 0, max_bytes_;
};

}  // namespace su::serve
