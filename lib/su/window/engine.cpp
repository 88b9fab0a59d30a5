// Window state, tagging and close records (see engine.hpp).
#include "su/window/engine.hpp"

#include <algorithm>

#include "su/core/calendar.hpp"
#include "su/core/error.hpp"
#include "su/core/units.hpp"
#include "su/json/control.hpp"

namespace su {

WindowEngine::WindowEngine(WindowOptions o, RecordBuffer& out) : o_(o), out_(out), grace_(o.grace) {}

WindowEngine::WindowEngine(WindowOptions o, WindowSink& sink) : o_(o), out_(own_), sink_(&sink), grace_(o.grace) {}

std::string WindowEngine::add(std::string_view raw, int64_t t, std::string_view key) {
  ++seq_;
  switch (o_.spec.kind) {
    case WindowKind::Tumbling:
    case WindowKind::Hopping:
      return add_time_window(raw, t);
    case WindowKind::Session:
      return add_session(raw, t, key);
    case WindowKind::Count:
      return add_count(raw, key);
  }
  return {};
}

void WindowEngine::move_time(int64_t t) {
  if (!started_ || t > now_) {
    now_ = t;
    started_ = true;
    close_due();
  }
}

uint64_t WindowEngine::oldest_held() const {
  uint64_t at = UINT64_MAX;
  for (const auto& [start, w] : open_) at = std::min(at, w.first);
  if (!session_first_.empty()) at = std::min(at, session_first_.begin()->first);
  if (!count_first_.empty()) at = std::min(at, count_first_.begin()->first);
  return at;
}

std::optional<int64_t> WindowEngine::watermark() const {
  if (!started_) return std::nullopt;
  return saturating_sub(now_, grace_);
}

std::optional<int64_t> WindowEngine::final_watermark() const {
  std::optional<int64_t> w = watermark();
  if (final_until_ != INT64_MIN && (!w || *w < final_until_)) w = final_until_;
  return w;
}

void WindowEngine::resume(int64_t replay_watermark, int64_t final_watermark) {
  if (!o_.spec.uses_time()) return;
  move_time(saturating_add(replay_watermark, grace_));
  final_until_ = final_watermark;
}

void WindowEngine::count_held(CountKey& k, size_t idx, uint64_t first) {
  if (k.first == first) return;
  last_first_ = std::max(last_first_, first);
  if (k.first) count_first_.erase({k.first, idx});
  k.first = first;
  if (first) count_first_.insert({first, idx});
}

void WindowEngine::advance(int64_t t) {
  if (o_.spec.uses_time()) move_time(t);
}

void WindowEngine::close_due() {
  while (!open_.empty() && closed(open_.begin()->second.end)) close_time_window(open_.begin());
  while (!session_due_.empty() && closed(session_due_.begin()->first)) close_session(session_due_.begin()->second);
}

std::optional<int64_t> WindowEngine::next_close() const {
  std::optional<int64_t> at;
  if (!open_.empty()) at = saturating_add(open_.begin()->second.end, grace_);
  if (!session_due_.empty()) {
    int64_t s = saturating_add(session_due_.begin()->first, grace_);
    if (!at || s < *at) at = s;
  }
  return at;
}

std::optional<int64_t> WindowEngine::last_close() const {
  std::optional<int64_t> at;
  if (!open_.empty()) at = saturating_add(open_.rbegin()->second.end, grace_);
  if (!session_due_.empty()) {
    int64_t s = saturating_add(session_due_.rbegin()->first, grace_);
    if (!at || s > *at) at = s;
  }
  return at;
}

void WindowEngine::close_all() {
  while (!open_.empty()) close_time_window(open_.begin());
  while (!session_due_.empty()) close_session(session_due_.begin()->second);
  for (CountKey& k : count_keys_) {
    const int64_t slide = o_.spec.every;
    if (k.n % uint64_t(slide) == 0) continue;  // nothing since the last close
    close_count(k, int64_t(k.n / uint64_t(slide)) + 1);
  }
  count_first_.clear();
  for (CountKey& k : count_keys_) k.first = 0;
}

// ---- tumbling and hopping ----

std::string WindowEngine::add_time_window(std::string_view raw, int64_t t) {
  const int64_t size = o_.spec.size;
  if (o_.spec.kind == WindowKind::Tumbling) {
    // The window of the last record (no division). It cannot close by
    // moving the stream's time to t < its end.
    if (last_ && t >= last_start_ && t < last_end_) {
      move_time(t);
      emit(raw, *last_);
      return {};
    }
    TimeWindow w;
    if (o_.spec.calendar == CalendarUnit::None) {
      auto tw = tumbling_window(t, size);
      if (!tw) return range_reason(t);
      w = *tw;
    } else {
      w = calendar_window(t, o_.spec);  // local days, weeks, months: 23 to 25 hours a day
      // Saturated at the edge of the range: no window.
      if (w.start == INT64_MIN || w.end == INT64_MAX || t < w.start || t >= w.end) return range_reason(t);
    }
    move_time(t);
    if (w.start != last_start_ || !last_) {
      if (closed(w.end)) return late_record(raw, t, w);
      if (w.end <= final_until_ && open_.find(w.start) == open_.end()) {
        ++replayed_;  // its result was stored before the checkpoint this run resumed from
        return {};
      }
      if (open_.find(w.start) == open_.end() && !fits(kTimeWindowBytes)) return over_budget();
      last_ = &open_window(w);
      last_start_ = w.start;
      last_end_ = w.end;
    }
    emit(raw, *last_);
    return {};
  }
  if (!hopping_windows(t, size, o_.spec.every, hops_)) return range_reason(t);
  move_time(t);
  if (buffered_ + hops_.size() * kTimeWindowBytes > o_.max_buffer) {  // maybe over: count the windows to open
    uint64_t fresh = 0;
    for (const TimeWindow& w : hops_)
      if (!closed(w.end) && open_.find(w.start) == open_.end()) ++fresh;
    if (!fits(fresh * kTimeWindowBytes)) return over_budget();
  }
  bool any = false, late = false, replayed = false;
  for (const TimeWindow& w : hops_) {
    if (closed(w.end)) {  // written to the windows still open only, or as corrections
      late = true;
      continue;
    }
    if (w.end <= final_until_ && open_.find(w.start) == open_.end()) {
      replayed = true;  // stored before the checkpoint this run resumed from
      continue;
    }
    emit(raw, open_window(w));
    any = true;
  }
  if (!any && replayed && !late) ++replayed_;
  if (!late) return {};
  if (!o_.correct_late) return any || replayed ? std::string() : late_reason(t, hops_.back());
  late_reason(t, hops_.back());  // counted once
  for (const TimeWindow& w : hops_)
    if (closed(w.end)) {
      emit_correction(raw, time_tags(w.start, w.end));
    }
  return {};
}

WindowEngine::Open& WindowEngine::open_window(const TimeWindow& w) {
  auto [it, fresh] = open_.try_emplace(w.start);
  if (fresh) {
    it->second.end = w.end;
    it->second.tags = time_tags(w.start, w.end);
    it->second.suffix = "," + it->second.tags + "}\n";
    it->second.first = last_first_ = seq_;
    hold(kTimeWindowBytes);
  }
  return it->second;
}

void WindowEngine::close_time_window(std::map<int64_t, Open>::iterator it) {
  if (&it->second == last_) last_ = nullptr;
  ++closes_;
  emit_close(it->second.tags, {});
  open_.erase(it);
  release(kTimeWindowBytes);
}

// ---- sessions ----

std::string WindowEngine::add_session(std::string_view raw, int64_t t, std::string_view key) {
  const int64_t gap = o_.spec.gap;
  int64_t reach;
  if (!checked_add(t, gap, reach)) return range_reason(t);
  move_time(t);
  auto kit = sessions_of_key_.find(key);
  joinable_.clear();
  if (kit != sessions_of_key_.end())
    for (uint64_t id : kit->second) {
      const Session& s = sessions_.find(id)->second;
      joinable_.push_back({s.start, s.end});
    }
  TimeWindow w = *session_join(joinable_, t, gap, merged_);  // t + gap fits
  if (merged_.empty() && closed(w.end)) return late_reason(t, w);
  const uint64_t need = raw.size() + 1 + (merged_.empty() ? kSessionBytes + key.size() : 0);
  if (!fits(need)) return over_budget();
  if (kit == sessions_of_key_.end()) kit = sessions_of_key_.emplace(std::string(key), std::vector<uint64_t>()).first;
  std::vector<uint64_t>& ids = kit->second;
  uint64_t id;
  if (merged_.empty()) {
    id = next_session_++;
    Session& s = sessions_[id];
    s.key.assign(key);
    s.first = last_first_ = seq_;
    session_first_.insert({seq_, id});
    ids.push_back(id);
    hold(kSessionBytes + key.size());
  } else {
    // Keep the first (oldest) session; fold the others into it.
    id = ids[merged_[0]];
    Session& s = sessions_[id];
    for (size_t m = merged_.size(); m-- > 1;) {
      uint64_t other = ids[merged_[m]];
      Session& o = sessions_[other];
      s.records += o.records;
      if (o.first < s.first) {  // the oldest record of the two
        session_first_.erase({s.first, id});
        s.first = o.first;
        session_first_.insert({s.first, id});
      }
      session_first_.erase({o.first, other});
      session_due_.erase({o.end, other});
      release(kSessionBytes + o.key.size());
      sessions_.erase(other);
      ids.erase(ids.begin() + std::ptrdiff_t(merged_[m]));
    }
  }
  Session& s = sessions_[id];
  s.start = w.start;
  if (merged_.empty()) {
    session_due_.insert({w.end, id});
  } else if (s.end != w.end) {
    auto node = session_due_.extract({s.end, id});  // re-keyed in place: no allocation
    node.value().first = w.end;
    session_due_.insert(std::move(node));
  }
  s.end = w.end;
  s.records.append(raw);
  s.records.push_back('\n');
  hold(raw.size() + 1);
  return {};
}

void WindowEngine::close_session(uint64_t id) {
  auto it = sessions_.find(id);
  Session& s = it->second;
  ++closes_;
  session_first_.erase({s.first, id});
  if (s.end <= final_until_) {
    // Stored before the checkpoint this run resumed from: not written again.
    replayed_ += uint64_t(std::count(s.records.begin(), s.records.end(), '\n'));
  } else {
    std::string tags = time_tags(s.start, s.end);
    std::string_view rest = s.records;
    while (!rest.empty()) {
      size_t nl = rest.find('\n');
      emit(rest.substr(0, nl), tags);
      rest.remove_prefix(nl + 1);
    }
    emit_close(tags, s.key);
  }
  release(s.records.size() + kSessionBytes + s.key.size());
  session_due_.erase({s.end, id});
  auto kit = sessions_of_key_.find(s.key);
  std::vector<uint64_t>& ids = kit->second;
  ids.erase(std::find(ids.begin(), ids.end(), id));
  if (ids.empty()) sessions_of_key_.erase(kit);
  sessions_.erase(it);
}

// ---- count windows ----

std::string WindowEngine::add_count(std::string_view raw, std::string_view key) {
  const int64_t size = o_.spec.size, slide = o_.spec.every;
  const bool sliding = slide != size;
  size_t idx;
  if (count_keys_.size() == 1 && count_keys_[0].key == key) {
    idx = 0;
  } else {
    auto it = count_index_.find(key);
    if (it == count_index_.end()) {
      // A new key: its number of records (and a sliding window's records) is
      // kept, and counted against --max-buffer.
      const uint64_t need = kCountKeyBytes + 2 * key.size() + (sliding ? raw.size() + kHeldRecordBytes : 0);
      if (!fits(need)) return over_budget();
      it = count_index_.emplace(std::string(key), count_keys_.size()).first;
      CountKey fresh;
      fresh.key.assign(key);
      count_keys_.push_back(std::move(fresh));
      if (sliding) count_keys_.back().last = std::make_unique<std::deque<std::string>>();
      hold(kCountKeyBytes + 2 * key.size());
    }
    idx = it->second;
  }
  CountKey& k = count_keys_[idx];
  if (sliding) {
    // The oldest record held leaves the window as this one comes.
    const uint64_t freed = k.last->size() >= size_t(size) ? k.last->front().size() + kHeldRecordBytes : 0;
    const uint64_t need = raw.size() + kHeldRecordBytes;
    if (need > freed && !fits(need - freed)) return over_budget();
  }
  ++k.n;
  if (!sliding) {                            // tumbling: write at once, no buffering
    if (!k.first) count_held(k, idx, seq_);  // the window's first record
    int64_t w = count_windows(k.n, size, slide).first;
    scratch_.clear();
    control::append_count_tag(scratch_, w);
    emit(raw, scratch_);
    if (int64_t c = count_window_closing(k.n, slide)) {
      close_count(k, c);
      count_held(k, idx, 0);
    }
    return {};
  }
  k.last->emplace_back(raw);
  k.numbers.push_back(seq_);
  hold(raw.size() + kHeldRecordBytes);
  if (k.last->size() > size_t(size)) {
    release(k.last->front().size() + kHeldRecordBytes);
    k.last->pop_front();
    k.numbers.pop_front();
  }
  count_held(k, idx, k.numbers.front());  // held records: a bound on the open windows'
  if (int64_t c = count_window_closing(k.n, slide)) close_count(k, c);
  return {};
}

void WindowEngine::close_count(CountKey& k, int64_t window) {
  ++closes_;
  std::string tags;
  control::append_count_tag(tags, window);
  const int64_t size = o_.spec.size, slide = o_.spec.every;
  if (slide != size) {
    // Window `window` holds records window*slide - size + 1 .. window*slide;
    // the buffer holds the last ones up to record n.
    const std::deque<std::string>& held = *k.last;
    int64_t first_held = int64_t(k.n) - int64_t(held.size()) + 1;
    int64_t first_wanted = window * slide - size + 1;
    size_t skip = size_t(std::max<int64_t>(0, first_wanted - first_held));
    for (size_t i = skip; i < held.size(); ++i) emit(held[i], tags);
  }
  emit_close(tags, k.key);
}

// ---- output ----

[[gnu::always_inline]] inline void WindowEngine::emit(std::string_view raw, std::string_view tags) {
  if (sink_) return sink_->record(raw, tags, false);
  std::string& b = out_.buf();
  append_members_to_object(b, raw, tags);
  b.push_back('\n');
  out_.end_record();
}

// The common case in two appends: an object that ends in "...member}" (no
// white space before its last brace, not empty); anything else as above.
[[gnu::always_inline]] inline void WindowEngine::emit(std::string_view raw, const Open& w) {
  if (sink_) return sink_->record(raw, w.tags, false);
  const size_t n = raw.size();
  if (n < 2 || raw[n - 1] != '}') return emit(raw, w.tags);
  const char before = raw[n - 2];
  if (before == '{' || before == ' ' || before == '\t' || before == '\r' || before == '\n') return emit(raw, w.tags);
  std::string& b = out_.buf();
  b.append(raw.data(), n - 1);
  b.append(w.suffix);
  out_.end_record();
}

void WindowEngine::emit_close(std::string_view tags, std::string_view key) {
  if (sink_) return sink_->close(tags, key);
  if (!o_.control) return;
  control::append_close(out_.buf(), tags, key);
  out_.end_record();
}

std::string WindowEngine::time_tags(int64_t start, int64_t end) const {
  std::string s, e, t;
  append_time_value(s, start, o_.time_output);
  append_time_value(e, end, o_.time_output);
  control::append_time_tags(t, s, e);
  return t;
}

std::string WindowEngine::late_reason(int64_t t, const TimeWindow& w) {
  // Kept with a grace g when w.end > now - g: g = now - end + 1.
  ++late_.count;
  late_.largest = std::max(late_.largest, saturating_sub(now_, t));
  late_.grace = std::max(late_.grace, saturating_add(saturating_sub(now_, w.end), 1));
  std::string r = "late: time " + format_rfc3339(t) + " is in window [" + format_rfc3339(w.start) + ", " +
                  format_rfc3339(w.end) + "), closed at stream time " + format_rfc3339(now_);
  if (grace_ > 0) r += " (grace " + format_duration(grace_) + ")";
  return r;
}

std::string WindowEngine::late_record(std::string_view raw, int64_t t, const TimeWindow& w) {
  std::string r = late_reason(t, w);
  if (!o_.correct_late) return r;
  emit_correction(raw, time_tags(w.start, w.end));
  return {};
}

void WindowEngine::emit_correction(std::string_view raw, std::string_view tags) {
  if (sink_) {
    sink_->record(raw, tags, true);
    return sink_->close(tags, {});
  }
  std::string members(tags);
  members.append(",");
  append_json_string(members, control::kLateField);
  members.append(":true");
  emit(raw, members);
  emit_close(tags, {});
}

std::string WindowEngine::range_reason(int64_t t) const {
  std::string r = "time " + format_rfc3339(t);
  r.append(": its window does not fit in the range of times (int64 nanoseconds, years 1677 to 2262)");
  return r;
}

std::string WindowEngine::over_budget() const {
  std::string r = "window buffer full: holding this record would take more than --max-buffer (";
  r.append(std::to_string(o_.max_buffer));
  r.append(" bytes; ");
  r.append(std::to_string(buffered_));
  r.append(" held in open windows); raise --max-buffer, or use ");
  switch (o_.spec.kind) {
    case WindowKind::Session:
      r.append("a shorter --session gap or fewer --by keys");
      break;
    case WindowKind::Count:
      r.append("a smaller --count or fewer --by keys");
      break;
    default:
      r.append("fewer open windows (a shorter --hopping size, a longer --every, a shorter --grace)");
      break;
  }
  return r;
}

std::string late_summary_text(const LateSummary& late, bool corrected) {
  if (!late.count) return {};
  constexpr int64_t ms = 1'000'000, sec = 1000 * ms, min = 60 * sec, hour = 60 * min, day = 24 * hour;
  static constexpr int64_t kRound[] = {1,        2,        5,        10,        20,       50,       100,      200,
                                       500,      1000,     2000,     5000,      10000,    20000,    50000,    100000,
                                       200000,   500000,   ms,       2 * ms,    5 * ms,   10 * ms,  20 * ms,  50 * ms,
                                       100 * ms, 200 * ms, 500 * ms, sec,       2 * sec,  5 * sec,  10 * sec, 15 * sec,
                                       30 * sec, min,      2 * min,  5 * min,   10 * min, 15 * min, 30 * min, hour,
                                       2 * hour, 3 * hour, 6 * hour, 12 * hour, day};
  int64_t grace = late.grace;
  bool rounded = false;
  for (int64_t r : kRound)
    if (r >= grace) {
      grace = r, rounded = true;
      break;
    }
  if (!rounded && grace <= INT64_MAX - day) grace = (grace + day - 1) / day * day;  // whole days
  std::string r = std::to_string(late.count);
  if (corrected)
    r.append(late.count == 1 ? " late record passed on as a correction" : " late records passed on as corrections");
  else
    r.append(late.count == 1 ? " late record rejected" : " late records rejected");
  r.append(" (largest lateness ");
  r.append(format_duration(late.largest));
  r.append("); --grace ");
  r.append(format_duration(grace));
  r.append(late.count == 1 ? " would have kept it" : " would have kept them");
  return r;
}

}  // namespace su
