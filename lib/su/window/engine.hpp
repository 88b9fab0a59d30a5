// The windowing engine of stream-window: keeps the open windows per key,
// writes each record with its window tags appended to its raw bytes, tracks
// the stream's time (event time: the latest record time, moved on by the tool
// when input is idle; processing time: the wall clock) and writes a close
// record after the last record of each window.
#pragma once
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "su/core/buffer.hpp"
#include "su/core/json_write.hpp"
#include "su/time/checked.hpp"
#include "su/time/timeparse.hpp"
#include "su/window/window.hpp"

namespace su {

struct WindowOptions {
  WindowSpec spec;
  int64_t grace = 0;  // ns: a window closes at stream time >= end + grace
  TimeOutput time_output = TimeOutput::Iso;
  bool control = true;  // write close records
  // --late correct: a late record of a tumbling or hopping window is passed
  // on tagged with its closed window and `"_late":true`, then that window's
  // close again (so stream-agg emits its delta at once), instead of rejected.
  bool correct_late = false;
  // Bytes held for open windows and keys (records of sessions and sliding
  // count windows, and a fixed cost per open window and per key); a record
  // that would take more is rejected, with a reason.
  uint64_t max_buffer = uint64_t(1) << 30;
};

// What --max-buffer counts besides records: the state of an open time
// window (its tags twice, a map node), of a session or a count window key
// (plus the key's own bytes), and of each record held for a sliding count
// window (plus its bytes). Estimates of the heap they take, for a bound that
// holds when there are millions of them.
inline constexpr uint64_t kTimeWindowBytes = 256;
inline constexpr uint64_t kSessionBytes = 320;
inline constexpr uint64_t kCountKeyBytes = 112;
inline constexpr uint64_t kHeldRecordBytes = 32;

// Late records seen so far (rejected as late), for the end-of-run summary.
struct LateSummary {
  uint64_t count = 0;
  int64_t largest = 0;  // ns: the most a late record's time was behind the stream's time
  int64_t grace = 0;    // ns: the least --grace that would have kept every one of them
};

// "397 late records rejected (largest lateness 4s200ms); --grace 5s would
// have kept them", for the end of a run ("" when none was late). The grace
// is rounded up to a round duration (1, 2 or 5 of a unit; 15s, 30s, ...).
// With corrected: "N late records passed on as corrections (...)".
std::string late_summary_text(const LateSummary& late, bool corrected = false);

// Where a WindowEngine's output goes instead of NDJSON text (stream-agg
// with window options: the records and closes, without writing them out and
// reading them back). The calls come in the order the text would.
class WindowSink {
 public:
  virtual ~WindowSink() = default;
  // A record of the window with these tags (`"window_start":S,"window_end":E`
  // or `"window":N`); `late`: a correction (--late correct), written with
  // `"_late":true` after the tags. `raw` is the record as given to add(), or
  // a copy of it held for a session or a sliding count window.
  virtual void record(std::string_view raw, std::string_view tags, bool late) = 0;
  // A close record with these tags and key (see control::append_close).
  virtual void close(std::string_view tags, std::string_view key) = 0;
};

class WindowEngine {
 public:
  WindowEngine(WindowOptions o, RecordBuffer& out);
  // Records and closes go to `sink` instead of `out` (closes whatever
  // WindowOptions::control says); checkpoints are the caller's.
  WindowEngine(WindowOptions o, WindowSink& sink);

  // A data record: `raw` is its JSON object text (ending in '}'), `time` its
  // time (ignored by count windows), `key` the --by members as JSON text
  // (`"sensor":"s1"`, empty without --by; sessions and count windows are kept
  // per key, tumbling and hopping windows are the same for every key).
  // Returns empty, or the reason to reject it: late ("late: ..."), a time
  // whose window does not fit in int64 nanoseconds, or one that would take
  // more than --max-buffer. Nothing is held of a rejected record.
  std::string add(std::string_view raw, int64_t time, std::string_view key);
  // The stream's time moves on to t (idle input, wall clock): closes what is due.
  void advance(int64_t t);
  // Closes every open window (end of input, a stop signal).
  void close_all();
  // The stream time at which the next window closes (its end + grace).
  std::optional<int64_t> next_close() const;
  // The stream time at which the last open window closes (idle input: every
  // open window is taken as complete).
  std::optional<int64_t> last_close() const;
  bool started() const { return started_; }
  bool uses_time() const { return o_.spec.uses_time(); }
  int64_t now() const { return now_; }
  uint64_t buffered_bytes() const { return buffered_; }
  const LateSummary& late() const { return late_; }

  // Checkpoints (CONTRACT 9). Records are numbered 1, 2, ... as add() gets
  // them; a checkpoint read after record P may be forwarded once every
  // window that holds one of records 1..P has closed: oldest_held() > P.
  uint64_t records() const { return seq_; }
  // The number of the oldest record an open window holds (UINT64_MAX: none).
  uint64_t oldest_held() const;
  // The number of the newest record that became a window's oldest: no open
  // window's oldest record is later. Two checkpoints with no such record
  // between them wait for the same windows (the later one is enough).
  uint64_t last_first() const { return last_first_; }
  // How many windows have closed so far (what can move oldest_held()).
  uint64_t closes() const { return closes_; }
  // The watermark: windows that end at or before it are final (the stream's
  // time less the grace); none before the first record.
  std::optional<int64_t> watermark() const;
  // The time up to which windows are final, here or before a resume: the
  // watermark, or the resumed checkpoint's when later.
  std::optional<int64_t> final_watermark() const;
  // Resuming after a checkpoint (stream-parse --resume): the stream's time
  // starts where it was at the checkpoint (replay_watermark), and windows
  // that end at or before `final_watermark` (final, their results stored,
  // before the checkpoint was forwarded) are not written again: the records
  // read again for them are skipped and counted (replayed()).
  void resume(int64_t replay_watermark, int64_t final_watermark);
  uint64_t replayed() const { return replayed_; }

 private:
  struct Open {  // a tumbling or hopping window
    int64_t end = 0;
    uint64_t first = 0;  // its first record's number
    std::string tags;    // "window_start":...,"window_end":...
    std::string suffix;  // ,TAGS}\n: what a record ending in a member gets
  };
  // Hash and equality that look up std::string keys by std::string_view.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  template <class V>
  using KeyMap = std::unordered_map<std::string, V, KeyHash, std::equal_to<>>;
  struct Session {
    int64_t start = 0, end = 0;
    uint64_t first = 0;  // the number of its oldest record
    std::string key;
    std::string records;  // raw records, each followed by '\n'
  };
  struct CountKey {
    std::string key;
    uint64_t n = 0;
    std::unique_ptr<std::deque<std::string>> last;  // sliding windows only: the last `size` records
    std::deque<uint64_t> numbers;                   // sliding windows: theirs; tumbling: the open window's first
    uint64_t first = 0;                             // the oldest record held (0: none)
  };

  // Whether the window ending at `end` has closed: the stream's time is at
  // end + grace or later (saturated: a window never closes before it starts).
  bool closed(int64_t end) const { return started_ && end <= saturating_sub(now_, grace_); }
  void move_time(int64_t t);
  void close_due();
  std::string add_time_window(std::string_view raw, int64_t t);
  std::string add_session(std::string_view raw, int64_t t, std::string_view key);
  std::string add_count(std::string_view raw, std::string_view key);
  Open& open_window(const TimeWindow& w);
  void close_time_window(std::map<int64_t, Open>::iterator it);
  void close_session(uint64_t id);
  void close_count(CountKey& k, int64_t window);
  void emit(std::string_view raw, std::string_view tags);
  void emit(std::string_view raw, const Open& w);
  void emit_close(std::string_view tags, std::string_view key);
  std::string time_tags(int64_t start, int64_t end) const;
  std::string late_reason(int64_t t, const TimeWindow& w);
  // Counts a late record like late_reason; with correct_late writes it as a
  // correction of w and returns empty, else returns the reason.
  std::string late_record(std::string_view raw, int64_t t, const TimeWindow& w);
  void emit_correction(std::string_view raw, std::string_view tags);
  std::string range_reason(int64_t t) const;
  // Whether `bytes` more can be held within --max-buffer; if not,
  // over_budget gives the reason to reject the record that needs them.
  bool fits(uint64_t bytes) const { return bytes <= o_.max_buffer && buffered_ <= o_.max_buffer - bytes; }
  std::string over_budget() const;
  void hold(uint64_t bytes) { buffered_ += bytes; }
  void release(uint64_t bytes) { buffered_ -= bytes; }

  WindowOptions o_;
  RecordBuffer own_;  // the output when there is a sink (unused)
  RecordBuffer& out_;
  WindowSink* sink_ = nullptr;
  int64_t grace_;
  bool started_ = false;
  int64_t now_ = INT64_MIN;
  uint64_t buffered_ = 0;
  LateSummary late_;

  std::map<int64_t, Open> open_;                           // tumbling/hopping, by start (= by end)
  int64_t last_start_ = INT64_MIN, last_end_ = INT64_MIN;  // of last_
  Open* last_ = nullptr;
  std::vector<TimeWindow> hops_;

  std::unordered_map<uint64_t, Session> sessions_;  // by id
  KeyMap<std::vector<uint64_t>> sessions_of_key_;
  std::set<std::pair<int64_t, uint64_t>> session_due_;  // (end, id), soonest first
  uint64_t next_session_ = 0;
  std::vector<TimeWindow> joinable_;
  std::vector<size_t> merged_;

  std::vector<CountKey> count_keys_;  // in order of first record
  KeyMap<size_t> count_index_;
  std::string scratch_;

  uint64_t seq_ = 0;                 // records given to add()
  uint64_t closes_ = 0;              // windows closed
  uint64_t last_first_ = 0;          // last_first()
  int64_t final_until_ = INT64_MIN;  // resume(): windows ending by then are final already
  uint64_t replayed_ = 0;
  std::set<std::pair<uint64_t, uint64_t>> session_first_;  // (first, id)
  std::set<std::pair<uint64_t, size_t>> count_first_;      // (first, key index)
  void count_held(CountKey& k, size_t idx, uint64_t first);
};

}  // namespace su
