// What the record loop and the HTTP clients share: the event ring (history
// and client queues, su::serve::EventRing), the latest record per key, and
// the counts /health shows. The loop stages records without a lock and
// publishes them once per block of input under one short lock, then wakes
// the clients; a client copies what it has not sent yet under that lock and
// writes it to its socket without it. The loop never waits for a client.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "su/serve/events.hpp"
#include "su/serve/latest.hpp"

namespace stream_serve {

class Hub {
 public:
  Hub(size_t history, size_t history_bytes, size_t max_keys, size_t max_clients);

  // The record loop's side. `key` is the --by value (empty without --by).
  void stage_record(std::string_view line, std::string_view key);
  void stage_control(std::string_view line);
  // Makes the staged events visible to the clients and wakes them. Returns
  // the number of keys that could not be kept in /latest's table (it is
  // full). With `only_if_free`, when clients hold the lock, nothing is done
  // (the events stay staged for the next call): the loop does not wait.
  uint64_t publish(bool only_if_free = false);
  size_t staged() const { return n_staged_; }
  // End of input; `end_streams`: clients' event streams end once they have
  // every event (--exit-at-end), else they stay open.
  void end_input(bool end_streams);
  // A stop: every client's stream ends now.
  void close_all();

  // A client's side.
  bool join();  // false when --max-clients streams are open
  void leave(bool dropped);
  size_t clients();
  enum class Wait { Data, Idle, End, Closing };
  // Waits at most `wait` for events after `cursor`; on Data appends their
  // frames to `out` (about max_bytes) and moves cursor; `missed` counts the
  // events the ring no longer held; `caught_up` tells whether the client has
  // every event now.
  Wait next(uint64_t& cursor, uint64_t& missed, bool& caught_up, std::string& out, size_t max_bytes,
            std::chrono::milliseconds wait);
  uint64_t newest();

  std::string latest_json(bool by_key);
  std::string health_json(bool full);

 private:
  struct Staged {
    std::string frame, key;
    size_t record_at = 0, record_size = 0;  // the record inside frame (data records)
    bool data = false;
  };
  Staged& stage();

  std::mutex m_;
  std::condition_variable cv_;
  su::serve::EventRing ring_;
  su::serve::LatestTable latest_;
  size_t max_clients_;
  size_t clients_ = 0;
  uint64_t records_ = 0, dropped_ = 0;
  bool ended_ = false, end_streams_ = false, closing_ = false;
  // The loop's own (no lock): events staged since the last publish.
  std::vector<Staged> staged_;
  size_t n_staged_ = 0;
  uint64_t next_id_ = 1;
};

}  // namespace stream_serve
