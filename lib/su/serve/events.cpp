// The SSE frames and the event ring (see events.hpp).
#include "su/serve/events.hpp"

#include <algorithm>
#include <charconv>

namespace su::serve {

void append_frame(std::string& out, uint64_t id, std::string_view event, std::string_view data) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, id).ptr;
  out.append("id: ").append(digits, end).push_back('\n');
  if (!event.empty()) out.append("event: ").append(event).push_back('\n');
  // A line break inside data (never in an NDJSON line; possible in text) starts a new data line.
  for (;;) {
    // (Two memchr passes: find_first_of would look for each byte of data in the set.)
    const size_t lf = data.find('\n'), cr = data.find('\r');
    const size_t nl = std::min(lf, cr);
    out.append("data: ").append(data.substr(0, nl)).push_back('\n');
    if (nl == std::string_view::npos) break;
    data.remove_prefix(nl + (data[nl] == '\r' && nl + 1 < data.size() && data[nl + 1] == '\n' ? 2 : 1));
  }
  out.push_back('\n');
}

EventRing::EventRing(size_t capacity, size_t max_bytes)
    : slots_(std::max<size_t>(capacity, 1)), max_bytes_(max_bytes) {}

void EventRing::push(std::string& frame) {
  std::string& slot = slots_[next_ % slots_.size()];
  if (size_ == slots_.size()) {
    bytes_ -= slot.size();  // the oldest event goes
    --size_;
  }
  slot.swap(frame);
  frame.clear();
  bytes_ += slot.size();
  ++next_;
  ++size_;
  // Over max_bytes: the oldest events go too, and their memory with them.
  while (bytes_ > max_bytes_ && size_ > 1) {
    std::string& old = slots_[oldest() % slots_.size()];
    bytes_ -= old.size();
    std::string().swap(old);
    --size_;
  }
  // A big frame's buffer is not kept for reuse.
  if (frame.capacity() > (size_t(64) << 10)) std::string().swap(frame);
}

EventRing::Copy EventRing::copy_after(uint64_t cursor, size_t max_bytes, std::string& out) const {
  Copy c;
  if (cursor > newest()) cursor = newest();  // an id from the future (a restarted server): from now on
  uint64_t from = cursor + 1;
  if (from < oldest()) {
    c.missed = oldest() - from;
    from = oldest();
  }
  const size_t start = out.size();
  for (; from <= newest(); ++from) {
    out.append(slots_[from % slots_.size()]);
    if (out.size() - start >= max_bytes) {
      ++from;
      break;
    }
  }
  c.cursor = from - 1;
  return c;
}

}  // namespace su::serve
