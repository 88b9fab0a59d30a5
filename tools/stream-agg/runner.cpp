// The stream-agg loop (see runner.hpp).
#include "runner.hpp"

#include <sys/stat.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <unordered_map>

#include "su/agg/group.hpp"
#include "su/core/error.hpp"
#include "su/core/json_write.hpp"
#include "su/core/units.hpp"
#include "su/record_loop.hpp"

namespace stream_agg {
namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kNone = size_t(-1);

bool exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

// --every: a snapshot each period of wall-clock time, also while input is idle.
class Ticker {
 public:
  explicit Ticker(int64_t period_ns) : period_(period_ns), next_(Clock::now() + period_) {}
  // How long the reader may wait for a line: until the next snapshot is due
  // (as of the last due()).
  int timeout_ms() const {
    if (period_.count() == 0) return -1;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(next_ - now_).count() + 1;
    return int(std::max<int64_t>(left, 0));
  }
  // True once for each period that has passed. Reads the clock (only with --every).
  bool due() {
    if (period_.count() == 0) return false;
    now_ = Clock::now();
    if (now_ < next_) return false;
    while (next_ <= now_) next_ += period_;
    return true;
  }

 private:
  std::chrono::nanoseconds period_;
  Clock::time_point next_, now_;
};

// The values of window tags as the window engine writes them
// (`"window_start":S,"window_end":E` or `"window":N`), by their index in
// su::control::window_tags(); nullopt for a tag not there.
using TagValues = std::array<std::optional<std::string_view>, 3>;
void split_tags(std::string_view tags, TagValues& out) {
  out = {};
  const auto& names = su::control::window_tags();
  size_t i = 0;
  while (i < tags.size() && tags[i] == '"') {
    size_t q = tags.find('"', i + 1);
    if (q == std::string_view::npos || q + 1 >= tags.size() || tags[q + 1] != ':') return;
    std::string_view name = tags.substr(i + 1, q - i - 1);
    size_t v = q + 2, e = v;
    if (e < tags.size() && tags[e] == '"') {  // a string (no escapes: a time as written)
      e = tags.find('"', e + 1);
      e = e == std::string_view::npos ? tags.size() : e + 1;
    }
    e = std::min(tags.find(',', e), tags.size());
    for (size_t n = 0; n < names.size() && n < out.size(); ++n)
      if (names[n] == name) out[n] = tags.substr(v, e - v);
    i = e + 1;
  }
}

// Wires the field reader to the group table: which wanted field feeds each key
// part and each column.
class Aggregator : public su::RecordHandler, su::WindowSink {
 public:
  // `window`: the window options (checked), with the --time parser; none
  // without window options.
  Aggregator(const Options& o, su::Output& out, su::Diagnostics& diag,
             std::optional<std::pair<su::WindowOptions, su::TimeParser>> window = std::nullopt)
      : o_(o),
        out_(out),
        diag_(diag),
        table_(key_fields(o), o.specs, o.approx),
        reader_(wanted()),
        ticker_(o.every_ns) {
    if (o.every_ns) table_.mark_snapshots();
    if (o.emit_state) table_.emit_state();
    timed_ = o.emit_state && !o.merge && table_.uses_time();
    for (size_t i = 0; i < reader_.size(); ++i) {
      const bool value =
          std::find(column_slot_.begin(), column_slot_.end(), i) != column_slot_.end() || (o.merge && i == state_slot_);
      if (!value) reader_.set_key_only(i);
      if (std::find(key_slot_.begin(), key_slot_.end(), i) == key_slot_.end()) reader_.set_value_only(i);
    }
    if (window) start_windows(std::move(window->first), std::move(window->second));
  }

  // With window options: the window engine's records come to record() and
  // its closes to close() (su::WindowSink), as its output would come down
  // a pipe, and each record's fields are read once, with its time.
  void start_windows(su::WindowOptions wo, su::TimeParser parser) {
    const bool keyed = wo.spec.kind == su::WindowKind::Session || wo.spec.kind == su::WindowKind::Count;
    correct_late_ = wo.correct_late;
    engine_ = std::make_unique<su::WindowEngine>(wo, static_cast<su::WindowSink&>(*this));
    // The tags this kind always writes come after a record's own members
    // (the last of a name counts): a record's own are not read for the key.
    const auto& tags = su::control::window_tags();
    for (size_t t = 0; t < tags.size(); ++t)
      tags_given_[t] =
          wo.spec.kind == su::WindowKind::Count ? tags[t] == su::control::kWindow : tags[t] != su::control::kWindow;
    std::vector<su::ExtraField> extra;
    for (size_t i = 0; i < names_.size(); ++i) {
      su::ExtraField f{names_[i], false, false};
      f.value = std::find(column_slot_.begin(), column_slot_.end(), i) != column_slot_.end();
      for (size_t k = 0; k < key_slot_.size(); ++k)
        if (key_slot_[k] == i && !(k < tags.size() && tags_given_[k])) f.text = true;
      if (f.value || f.text || names_[i] == o_.window.time) extra.push_back(f);
    }
    window_ = std::make_unique<su::WindowHandler>(o_.window.time, keyed ? o_.by : std::vector<std::string>(),
                                                  std::move(parser), *engine_, o_.window.idle.value_or(0), extra);
    window_->warn_to(&diag_);
    window_->checkpoints_to([this](const su::control::Checkpoint& cp) {
      std::string text;
      su::control::append_checkpoint(text, cp);
      if (!text.empty() && text.back() == '\n') text.pop_back();
      hold(text, cp.source, true);
    });
    for (const auto& n : names_) window_slot_.push_back(window_->slot(n));  // (size(): not read)
    // A SPEC that reads a window tag (or _late) reads it from the tagged record.
    for (const auto& s : o_.specs)
      if (std::find(tags.begin(), tags.end(), s.field) != tags.end() || s.field == su::control::kLateField)
        tagged_always_ = true;
  }

  std::string read(const su::Line& l, simdjson::ondemand::document& doc) override {
    if (window_) {
      std::string err = window_->read(l, doc);
      if (err.empty()) window_->fields().own(l.text);
      return err;
    }
    std::string err = reader_.read(doc);
    if (err.empty()) reader_.own(l.text);  // the next document may reuse the string buffer
    return err;
  }
  bool reads_elements() const override { return window_ ? window_->reads_elements() : reader_.dom_ok(); }
  std::string read(const su::Line& l, simdjson::dom::element el) override {
    if (window_) {
      std::string err = window_->read(l, el);
      if (err.empty()) window_->fields().own(l.text);
      return err;
    }
    std::string err = reader_.read(el);
    if (err.empty()) reader_.own(l.text);  // the next document reuses the string buffer
    return err;
  }

  std::string apply(const su::Line& l) override {
    if (window_) {
      current_ = l.text;
      std::string r = window_->apply(l);  // its records and closes come to record() and close()
      current_ = {};
      return r;
    }
    table_.set_record_number(++records_);
    if (o_.merge) return merge();
    add();
    return {};
  }

  // Held until every group with a record from before it has been emitted
  // (CONTRACT 9), then written as it came.
  bool checkpoint(const su::Line& l, const su::control::Record& r) override {
    // With windows, held by the windows first (true: one they pass on as it came).
    if (window_ && !window_->checkpoint(l, r)) return false;
    su::control::Checkpoint cp;
    const bool known = su::control::read_checkpoint(r, cp).empty();
    hold(l.text, cp.source, known);
    return false;
  }

  void hold(std::string_view text, const std::string& source, bool known) {
    if (!o_.common.control_enabled()) return;
    // One waiting for the same groups as this one, of the same source: this
    // one is enough (without windows, one is kept per source).
    if (known && !held_checkpoints_.empty() && held_checkpoints_.back().source == source &&
        table_.newest_group_record() <= held_checkpoints_.back().after)
      held_checkpoints_.pop_back();
    held_checkpoints_.push_back({records_, known ? source : std::string(), std::string(text)});
    release();
  }

  void release() {
    const uint64_t oldest = table_.oldest_group_record();
    while (!held_checkpoints_.empty() && held_checkpoints_.front().after < oldest) {
      out_.write(held_checkpoints_.front().text);
      out_.put('\n');
      out_.end_record();
      held_checkpoints_.pop_front();
    }
  }

  // --every: a snapshot each period of wall-clock time, also while input is idle.
  int timeout_ms() override {
    const int w = window_ ? window_->timeout_ms() : -1;  // closes what is due (--idle, processing time)
    if (ticker_.due()) {
      table_.write_all(out_);
      out_.flush();
    }
    const int t = ticker_.timeout_ms();
    return w < 0 ? t : t < 0 ? w : std::min(w, t);
  }

  void after_block() override {
    if (window_) window_->after_block();
  }

  // End of input or a stop signal: every group still open is emitted.
  void finish(bool complete) override {
    if (window_) {
      window_->finish(complete);  // closes every window: their groups are emitted
      std::string late = su::late_summary_text(engine_->late(), correct_late_);
      if (!late.empty()) diag_.warn(late);
    }
    // The groups still open are provisional: only the checkpoints from
    // before their oldest record go on.
    release();
    held_checkpoints_.clear();
    table_.close_all(out_);
    // --parts: the closes that came from fewer than N parts follow the results.
    if (o_.common.control_enabled())
      for (const auto& [id, line] : pending_order_) {
        if (!pending_.erase(id)) continue;
        out_.write(line);
        out_.put('\n');
      }
    out_.flush();
    report_skipped();
    report_never_found();
  }

  // A fatal error or --strict: what was read before it is not lost.
  void abort() noexcept override {
    try {
      if (window_) release();
      table_.close_all(out_);
    } catch (...) {
    }
  }

  // close: emit and free the groups it names (then the loop forwards it).
  void control(const su::Line& l, const su::control::Record& c) override {
    if (c.kind != su::control::Kind::Close) return;
    forward_ = true;
    if (o_.merge && o_.parts > 1) {
      // The window's identity: its members, as the parts all write them.
      std::string id;
      for (const auto& [name, value] : c.members) id.append(name).append(":").append(value).push_back('\n');
      auto [it, fresh] = pending_.try_emplace(id, 0);
      if (fresh) pending_order_.emplace_back(id, l.text);
      if (++it->second < o_.parts) {
        forward_ = false;
        return;
      }
      pending_.erase(it);
      // (its line in pending_order_ is skipped at the end: no longer pending)
    }
    const auto& keys = table_.key_fields();
    std::vector<std::optional<std::string>> want(keys.size());
    for (const auto& [name, value] : c.members) {
      auto it = std::find(keys.begin(), keys.end(), name);
      if (it != keys.end()) want[size_t(it - keys.begin())] = value;
    }
    table_.close_matching(want, out_);
    if (!held_checkpoints_.empty()) release();
  }

  bool forward(const su::control::Record& c) override { return c.kind != su::control::Kind::Close || forward_; }

  // --merge: merges the record's _state into its group.
  std::string merge() {
    make_key();
    const su::Value& v = reader_.value(state_slot_);
    if (v.kind == su::Value::Kind::Missing)
      return "no " + std::string(su::control::kStateField) + " (made by stream-agg --emit-state?)";
    if (v.kind != su::Value::Kind::String) return std::string(su::control::kStateField) + " is not a string";
    saved_.clear();
    if (!su::decode_base64(v.s, saved_)) return std::string(su::control::kStateField) + " is not base64";
    try {
      table_.merge(key_, saved_);
    } catch (const su::agg::StateError& e) {
      return e.what();
    }
    return {};
  }

  // The group key of the record just read.
  void make_key() {
    key_.clear();
    const size_t tags = su::control::window_tags().size();
    for (size_t i = 0; i < key_slot_.size(); ++i) {
      if (i) key_.push_back('\n');
      size_t s = key_slot_[i];
      if (reader_.present(s))
        key_.append(reader_.text(s));
      else if (i >= tags && i + 1 < key_slot_.size())
        key_.append("null");  // a missing --by field groups as null (a missing _late: not late)
    }
  }

  // Adds the record just read to its group.
  void add() {
    make_key();
    if (timed_) {  // first and last keep the time each value was read at
      timespec ts;
      ::clock_gettime(CLOCK_REALTIME, &ts);
      table_.set_time(int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec);
    }
    std::byte* block = table_.group(key_);
    for (size_t c = 0; c < column_slot_.size(); ++c)
      table_.add(block, c, column_slot_[c] == kNone ? missing_ : reader_.value(column_slot_[c]));
  }

  // su::WindowSink: a record of a window, as stream-window would write it.
  void record(std::string_view raw, std::string_view tags, bool late) override {
    table_.set_record_number(++records_);
    if (raw.data() == current_.data() && raw.size() == current_.size() && !tagged_always_)
      return add_windowed(tags, late);
    // A record held for a session or a sliding count window, or a SPEC that
    // reads a tag: read as the piped form reads it, tagged.
    std::string members(tags);
    if (late) {
      members.push_back(',');
      su::append_json_string(members, su::control::kLateField);
      members.append(":true");
    }
    tagged_.clear();
    su::append_members_to_object(tagged_, raw, members);
    tagged_.reserve(tagged_.size() + su::kInputPadding);
    su::Line line;
    line.text = tagged_;
    line.capacity = tagged_.capacity();
    if (!reader_.read(line).empty()) return;  // a valid object with members added: cannot fail
    add();
  }

  // su::WindowSink: a window closes. Its close record is read and acted on
  // as one from upstream, and forwarded.
  void close(std::string_view tags, std::string_view key) override {
    close_line_.clear();
    su::control::append_close(close_line_, tags, key);
    close_line_.pop_back();  // its '\n'
    close_line_.reserve(close_line_.size() + su::kInputPadding);
    su::Line line;
    line.text = close_line_;
    line.capacity = close_line_.capacity();
    if (!su::control::read(line, close_reader_, close_record_).empty()) return;  // written right: cannot fail
    control(line, close_record_);
    if (o_.common.control_enabled() && forward(close_record_)) {
      out_.write(line.text);
      out_.put('\n');
    }
    // Not flushed here: the loop flushes before it waits for input (CONTRACT
    // 6), so a close goes out at once when input pauses, and with the
    // results of the closes after it while input keeps coming.
  }

  // Adds the record being applied to the group of its window: the key from
  // the tags and the fields read with its time.
  void add_windowed(std::string_view tags, bool late) {
    const size_t ntags = tag_values_.size();
    if (tags != last_tags_) {
      // A new window: the leading key parts its tags give, made once.
      last_tags_.assign(tags);
      split_tags(last_tags_, tag_values_);
      key_head_.clear();
      for (head_parts_ = 0; head_parts_ < ntags && tags_given_[head_parts_]; ++head_parts_) {
        if (tag_values_[head_parts_]) key_head_.append(*tag_values_[head_parts_]);
        key_head_.push_back('\n');
      }
    }
    const su::FieldReader& f = window_->fields();
    key_.assign(key_head_);
    for (size_t i = head_parts_; i < key_slot_.size(); ++i) {
      if (i > head_parts_) key_.push_back('\n');
      const size_t s = window_slot_[key_slot_[i]];
      if (i < ntags && (tags_given_[i] || tag_values_[i])) {
        if (tag_values_[i]) key_.append(*tag_values_[i]);
      } else if (i + 1 == key_slot_.size() && late)
        key_.append("true");
      else if (f.present(s))
        key_.append(f.text(s));
      else if (i >= ntags && i + 1 < key_slot_.size())
        key_.append("null");
    }
    if (timed_) {
      timespec ts;
      ::clock_gettime(CLOCK_REALTIME, &ts);
      table_.set_time(int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec);
    }
    std::byte* block = table_.group(key_);
    for (size_t c = 0; c < column_slot_.size(); ++c)
      table_.add(block, c, column_slot_[c] == kNone ? missing_ : f.value(window_slot_[column_slot_[c]]));
  }

  // A --by field or a SPEC's field that no record had (a typo, most likely):
  // one warning per name, with the closest name seen. The window tags are
  // keys only when a record has them.
  void report_never_found() {
    for (size_t i = su::control::window_tags().size(); i < names_.size(); ++i) {
      if (names_[i] == su::control::kLateField) continue;  // only corrections have it
      std::string w = window_ ? window_->fields().never_found_warning(window_slot_[i], names_[i])
                              : reader_.never_found_warning(i, names_[i]);
      if (!w.empty()) diag_.warn(w);
    }
  }

  // The stderr summary of values skipped by type: one line per field (and
  // count), naming the functions that skipped them.
  void report_skipped() {
    std::vector<std::pair<std::string, std::string>> lines;  // "FIELD: N values", functions
    for (const auto& c : table_.columns()) {
      if (!c.fn->skipped()) continue;
      std::string head = c.spec.field + ": " + std::to_string(c.fn->skipped()) +
                         (c.fn->skipped() == 1 ? " value" : " values") + " of the wrong type skipped by ";
      auto it = std::find_if(lines.begin(), lines.end(), [&](const auto& l) { return l.first == head; });
      if (it == lines.end())
        lines.emplace_back(head, c.spec.func);
      else
        it->second += ", " + c.spec.func;
    }
    for (const auto& [head, funcs] : lines) diag_.warn(head + funcs);
  }

 private:
  static std::vector<std::string> key_fields(const Options& o) {
    // Then _late (stream-window --late correct): the late records of a closed
    // window group apart, and their result, a delta, says so.
    std::vector<std::string> k = su::control::window_tags();
    k.insert(k.end(), o.by.begin(), o.by.end());
    k.emplace_back(su::control::kLateField);
    return k;
  }

  // The distinct fields to read, and where each key part and column finds its value.
  std::vector<std::string> wanted() {
    std::vector<std::string> names;
    auto slot = [&](const std::string& f) {
      auto it = std::find(names.begin(), names.end(), f);
      if (it != names.end()) return size_t(it - names.begin());
      names.push_back(f);
      return names.size() - 1;
    };
    for (const auto& k : key_fields(o_)) key_slot_.push_back(slot(k));
    if (o_.merge)  // the fields of the SPECs are in the parts' _state
      state_slot_ = slot(std::string(su::control::kStateField));
    else
      for (const auto& s : o_.specs) column_slot_.push_back(s.field.empty() ? kNone : slot(s.field));
    names_ = names;
    return names;
  }

  const Options& o_;
  su::Output& out_;
  su::Diagnostics& diag_;
  su::agg::GroupTable table_;
  std::vector<size_t> key_slot_, column_slot_;
  size_t state_slot_ = 0;           // --merge: where _state is read (set by wanted())
  std::vector<std::string> names_;  // of the reader's fields, by slot
  su::FieldReader reader_;
  Ticker ticker_;
  std::string key_;
  su::Value missing_;
  uint64_t records_ = 0;
  struct Pending {
    uint64_t after = 0;  // records before it
    std::string source;  // its source ("" when unreadable: never replaced)
    std::string text;
  };
  std::deque<Pending> held_checkpoints_;  // checkpoints held
  bool timed_ = false;                    // --emit-state with first or last: read the clock
  std::string saved_;                     // the bytes of one _state
  bool forward_ = true;                   // forward the close just read
  // --merge --parts: closes seen fewer than N times, by window, and the line
  // of each in the order first seen (to forward at end of input).
  std::unordered_map<std::string, size_t> pending_;
  std::vector<std::pair<std::string, std::string>> pending_order_;
  // Window options: the engine, the handler that reads each record's time
  // and fields (and ours: reader slot i is its slot window_slot_[i]).
  std::unique_ptr<su::WindowEngine> engine_;
  std::unique_ptr<su::WindowHandler> window_;
  std::vector<size_t> window_slot_;
  bool correct_late_ = false;
  bool tagged_always_ = false;  // a SPEC reads a tag: every record is read tagged
  std::string_view current_;    // the line being applied
  std::string last_tags_;       // the tags of the last record, and their values
  TagValues tag_values_;
  std::array<bool, 3> tags_given_{};
  std::string key_head_;   // the key parts of the leading tags given, each ending in '\n'
  size_t head_parts_ = 0;  // by window_tags(): the tags every record of this kind gets
  std::string tagged_;     // a record with its tags, to read
  std::string close_line_;
  su::FieldReader close_reader_{{}};
  su::control::Record close_record_;
};

}  // namespace

void resolve_arguments(Options& o) {
  std::vector<std::string> files;
  for (const auto& a : o.args) {
    // A SPEC when it parses as one; otherwise an input file, unless it can
    // only have been meant as a SPEC (a known function, or ':' or '=' in it
    // and no such file).
    if (a == "-") {
      files.push_back(a);
      continue;
    }
    try {
      o.specs.push_back(su::agg::parse_spec(a));
    } catch (const su::UsageError&) {
      bool spec_like = su::agg::is_function(a.substr(0, a.find_first_of(":="))) ||
                       (a.find_first_of(":=") != std::string::npos && !exists(a));
      if (spec_like) throw;
      files.push_back(a);
    }
  }
  if (o.specs.empty()) throw su::UsageError("no aggregate given (e.g. count, mean:FIELD)");
  if (o.emit_state && o.every_ns)
    throw su::UsageError("--emit-state with --every: a snapshot's state would be merged twice");
  if (o.merge && o.every_ns) throw su::UsageError("--merge with --every is not supported");
  if (o.parts != 1 && !o.merge) throw su::UsageError("--parts is for --merge");
  if (o.window.windowed() && o.merge)
    throw su::UsageError("--merge reads results, not records: window options do not apply (window the parts)");
  if (std::string stray = o.window.stray(kWindowNames); !stray.empty() && !o.window.windowed())
    throw su::UsageError(stray +
                         " needs a window: --tumbling SIZE, --hopping SIZE --step STEP, --session GAP or --count N");
  if (o.emit_state) su::agg::GroupTable({}, o.specs, o.approx).emit_state();  // a usage error when one cannot
  o.common.inputs = files;
  std::vector<std::string> names;
  for (const auto& t : su::control::window_tags()) names.push_back(t);
  std::vector<std::string> by;
  for (const auto& b : o.by) {
    if (b.empty()) throw su::UsageError("--by: empty field name");
    if (std::find(names.begin(), names.end(), b) != names.end()) continue;  // window tags are keys anyway
    by.push_back(b);
    names.push_back(b);
  }
  o.by = by;
  if (o.every_ns) names.emplace_back(su::agg::kSnapshotField);  // the mark of each result
  if (o.emit_state) names.emplace_back(su::control::kStateField);
  for (const auto& s : o.specs) {
    if (std::find(names.begin(), names.end(), s.name) != names.end())
      throw su::UsageError("output name '" + s.name + "' used twice (rename one with =NAME)");
    names.push_back(s.name);
  }
}

int run(Options& o) {
  std::optional<std::pair<su::WindowOptions, su::TimeParser>> window;
  if (o.window.windowed()) {
    // Closes always reach the groups; whether they are written on is --control's.
    su::WindowOptions wo = su::window_options(o.window, o.by, /*control=*/true, kWindowNames);
    window.emplace(std::move(wo), su::window_time_parser(o.window));
  }
  su::InputReader in(o.common.inputs, o.common.max_line_bytes());
  su::Output out(1);
  su::Diagnostics diag("stream-agg", o.common);
  Aggregator agg(o, out, diag, std::move(window));
  su::LoopOptions lo;
  lo.forward_control = o.common.control_enabled();
  // A pipe read on a second thread: the 8M-record pipeline with the windows
  // here took 5% less time (stream-window, whose work per byte is lighter,
  // gained nothing and spent 12% more CPU time: it reads on its one thread).
  lo.read_ahead = true;
  return su::RecordLoop(in, out, diag, agg, lo).run();
}

}  // namespace stream_agg
