// The state shared by the record loop and the HTTP clients (see hub.hpp).
#include "hub.hpp"

namespace stream_serve {

Hub::Hub(size_t history, size_t history_bytes, size_t max_keys, size_t max_clients)
    : ring_(history, history_bytes), latest_(max_keys), max_clients_(max_clients) {}

Hub::Staged& Hub::stage() {
  if (n_staged_ == staged_.size()) staged_.emplace_back();
  Staged& s = staged_[n_staged_++];
  s.frame.clear();
  return s;
}

void Hub::stage_record(std::string_view line, std::string_view key) {
  Staged& s = stage();
  su::serve::append_frame(s.frame, next_id_++, "", line);
  // An NDJSON line holds no line break: its frame is `id: N\ndata: LINE\n\n`.
  s.record_at = s.frame.size() - 2 - line.size();
  s.record_size = line.size();
  s.key.assign(key);
  s.data = true;
}

void Hub::stage_control(std::string_view line) {
  Staged& s = stage();
  su::serve::append_frame(s.frame, next_id_++, "control", line);
  s.data = false;
}

uint64_t Hub::publish(bool only_if_free) {
  if (n_staged_ == 0) return 0;
  uint64_t not_kept = 0;
  {
    std::unique_lock lk(m_, std::defer_lock);
    if (!only_if_free)
      lk.lock();
    else if (!lk.try_lock())
      return 0;
    for (size_t i = 0; i < n_staged_; ++i) {
      Staged& s = staged_[i];
      if (s.data) {
        ++records_;
        if (!latest_.put(s.key, std::string_view(s.frame).substr(s.record_at, s.record_size))) ++not_kept;
      }
      ring_.push(s.frame);  // swaps: s.frame now holds an old buffer to reuse
    }
  }
  n_staged_ = 0;
  cv_.notify_all();
  return not_kept;
}

void Hub::end_input(bool end_streams) {
  {
    std::lock_guard lk(m_);
    ended_ = true;
    end_streams_ = end_streams;
  }
  cv_.notify_all();
}

void Hub::close_all() {
  {
    std::lock_guard lk(m_);
    closing_ = true;
  }
  cv_.notify_all();
}

bool Hub::join() {
  std::lock_guard lk(m_);
  if (clients_ >= max_clients_ || closing_) return false;
  ++clients_;
  return true;
}

void Hub::leave(bool dropped) {
  {
    std::lock_guard lk(m_);
    --clients_;
    if (dropped) ++dropped_;
  }
  cv_.notify_all();
}

size_t Hub::clients() {
  std::lock_guard lk(m_);
  return clients_;
}

uint64_t Hub::newest() {
  std::lock_guard lk(m_);
  return ring_.newest();
}

Hub::Wait Hub::next(uint64_t& cursor, uint64_t& missed, bool& caught_up, std::string& out, size_t max_bytes,
                    std::chrono::milliseconds wait) {
  std::unique_lock lk(m_);
  cv_.wait_for(lk, wait, [&] { return closing_ || ring_.newest() > cursor || (ended_ && end_streams_); });
  if (closing_) return Wait::Closing;
  if (ring_.newest() > cursor) {
    auto c = ring_.copy_after(cursor, max_bytes, out);
    cursor = c.cursor;
    missed = c.missed;
    caught_up = cursor == ring_.newest();
    return Wait::Data;
  }
  caught_up = true;
  return ended_ && end_streams_ ? Wait::End : Wait::Idle;
}

std::string Hub::latest_json(bool by_key) {
  std::lock_guard lk(m_);
  return by_key ? latest_.to_json() : latest_.newest_json();
}

std::string Hub::health_json(bool full) {
  std::lock_guard lk(m_);
  std::string h = R"({"status":"ok","input":")";
  h.append(ended_ ? "ended" : "open").append("\"");
  if (full) {
    h.append(",\"records\":").append(std::to_string(records_));
    h.append(",\"last_event_id\":").append(std::to_string(ring_.newest()));
    h.append(",\"clients\":").append(std::to_string(clients_));
    h.append(",\"dropped\":").append(std::to_string(dropped_));
    h.append(",\"keys\":").append(std::to_string(latest_.size()));
  }
  h.push_back('}');
  return h;
}

}  // namespace stream_serve
