// The stream-agg loop (see runner.hpp).
#include "runner.hpp"

#include <sys/stat.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <deque>
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

// Wires the field reader to the group table: which wanted field feeds each key
// part and each column.
class Aggregator : public su::RecordHandler {
 public:
  Aggregator(const Options& o, su::Output& out, su::Diagnostics& diag)
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
  }

  std::string read(const su::Line& l, simdjson::ondemand::document& doc) override {
    std::string err = reader_.read(doc);
    if (err.empty()) reader_.own(l.text);  // the next document may reuse the string buffer
    return err;
  }
  bool reads_elements() const override { return reader_.dom_ok(); }
  std::string read(const su::Line& l, simdjson::dom::element el) override {
    std::string err = reader_.read(el);
    if (err.empty()) reader_.own(l.text);  // the next chunk reuses the string buffer
    return err;
  }

  std::string apply(const su::Line&) override {
    table_.set_record_number(++records_);
    if (o_.merge) return merge();
    add();
    return {};
  }

  // Held until every group with a record from before it has been emitted
  // (CONTRACT 9), then written as it came.
  bool checkpoint(const su::Line& l, const su::control::Record& r) override {
    if (!o_.common.control_enabled()) return false;
    // One waiting for the same groups as this one, of the same source: this
    // one is enough (without windows, one is kept per source).
    su::control::Checkpoint cp;
    const bool known = su::control::read_checkpoint(r, cp).empty();
    if (known && !held_checkpoints_.empty() && held_checkpoints_.back().source == cp.source &&
        table_.newest_group_record() <= held_checkpoints_.back().after)
      held_checkpoints_.pop_back();
    held_checkpoints_.push_back({records_, known ? cp.source : std::string(), std::string(l.text)});
    release();
    return false;
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
    if (ticker_.due()) {
      table_.write_all(out_);
      out_.flush();
    }
    return ticker_.timeout_ms();
  }

  // End of input or a stop signal: every group still open is emitted.
  void finish(bool) override {
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

  // A --by field or a SPEC's field that no record had (a typo, most likely):
  // one warning per name, with the closest name seen. The window tags are
  // keys only when a record has them.
  void report_never_found() {
    for (size_t i = su::control::window_tags().size(); i < names_.size(); ++i) {
      if (names_[i] == su::control::kLateField) continue;  // only corrections have it
      std::string w = reader_.never_found_warning(i, names_[i]);
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
  su::InputReader in(o.common.inputs, o.common.max_line_bytes());
  su::Output out(1);
  su::Diagnostics diag("stream-agg", o.common);
  Aggregator agg(o, out, diag);
  su::LoopOptions lo;
  lo.forward_control = o.common.control_enabled();
  return su::RecordLoop(in, out, diag, agg, lo).run();
}

}  // namespace stream_agg
