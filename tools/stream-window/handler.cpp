// stream-window's record callbacks (see handler.hpp).
#include "handler.hpp"

#include <time.h>

#include <algorithm>

#include "su/core/json_write.hpp"

namespace window_tool {
namespace {
int64_t clock_ns(clockid_t id) {
  timespec ts;
  clock_gettime(id, &ts);
  return int64_t(ts.tv_sec) * su::kNsPerSec + ts.tv_nsec;
}

// The fields to read: the time field (when there is one), then the --by
// fields, each once.
std::vector<std::string> wanted(const std::string& time_field, const std::vector<std::string>& by) {
  std::vector<std::string> names;
  if (!time_field.empty()) names.push_back(time_field);
  for (const auto& b : by)
    if (std::find(names.begin(), names.end(), b) == names.end()) names.push_back(b);
  return names;
}
}  // namespace

Handler::Handler(std::string time_field, const std::vector<std::string>& by, su::TimeParser parser,
                 su::WindowEngine& engine, int64_t idle_ns)
    : time_field_(std::move(time_field)),
      parser_(std::move(parser)),
      engine_(engine),
      progress_(time_field_.empty() && engine.uses_time(), idle_ns, engine),
      fields_(wanted(time_field_, by)),
      names_(wanted(time_field_, by)) {
  const auto& names = names_;
  for (const auto& b : by) {
    key_slots_.push_back(size_t(std::find(names.begin(), names.end(), b) - names.begin()));
    std::string p;
    su::append_json_string(p, b);
    p.push_back(':');
    key_prefix_.push_back(std::move(p));
    if (time_field_.empty() || key_slots_.back() != time_slot_) fields_.set_key_only(key_slots_.back());
  }
  if (!time_field_.empty() && std::find(key_slots_.begin(), key_slots_.end(), time_slot_) == key_slots_.end())
    fields_.set_value_only(time_slot_);
}

std::string Handler::read(const su::Line&, simdjson::ondemand::document& doc) {
  if (progress_.processing_time()) time_ = clock_ns(CLOCK_REALTIME);
  if (time_field_.empty() && key_slots_.empty()) {
    // Nothing to read, but the line must be an object.
    simdjson::ondemand::json_type t;
    if (auto e = doc.type().get(t)) return su::json_error_message(e);
    return t == simdjson::ondemand::json_type::object ? std::string() : "not a JSON object";
  }
  return take_fields(fields_.read(doc));
}

std::string Handler::read(const su::Line&, simdjson::dom::element el) {
  if (progress_.processing_time()) time_ = clock_ns(CLOCK_REALTIME);
  if (time_field_.empty() && key_slots_.empty()) return el.is_object() ? std::string() : "not a JSON object";
  return take_fields(fields_.read(el));
}

// Everything apply() needs is copied out here (time_, key_): the document
// may end before apply().
std::string Handler::take_fields(std::string err) {
  if (!err.empty()) return err;
  if (!time_field_.empty()) {
    const su::Value& v = fields_.value(time_slot_);
    std::optional<int64_t> parsed;
    switch (v.kind) {
      case su::Value::Kind::String:
        parsed = parser_.parse(v.s);
        break;
      case su::Value::Kind::Int:
        parsed = parser_.parse(v.i);
        break;
      case su::Value::Kind::Double:
        parsed = parser_.parse(v.d);
        break;
      default:
        break;
    }
    if (!parsed) return time_error(v);
    time_ = *parsed;
  }
  if (key_slots_.empty()) return {};
  key_.clear();
  for (size_t i = 0; i < key_slots_.size(); ++i) {
    if (i) key_.push_back(',');
    key_.append(key_prefix_[i]);
    size_t s = key_slots_[i];
    key_.append(fields_.present(s) ? fields_.text(s) : "null");  // a missing key field is a key of its own
  }
  return {};
}

std::string Handler::time_error(const su::Value& v) const {
  if (v.kind == su::Value::Kind::Missing) return "missing time field '" + time_field_ + "'";
  if (v.kind == su::Value::Kind::String)
    return "time field '" + time_field_ + "': cannot read \"" + std::string(v.s) + "\" as a time";
  std::string text;
  su::append_value(text, v);
  return "time field '" + time_field_ + "': cannot read " + text + " as a time";
}

std::string Handler::apply(const su::Line& line) {
  std::string r = engine_.add(line.text, time_, key_);
  if (!pending_.empty() && engine_.closes() != checked_closes_) release();
  return r;
}

std::string Handler::time_json(std::optional<int64_t> t) {
  std::string j;
  if (t) {
    j.push_back('"');
    su::append_rfc3339(j, *t);
    j.push_back('"');
  }
  return j;
}

bool Handler::checkpoint(const su::Line&, const su::control::Record& r) {
  su::control::Checkpoint cp;
  if (!su::control::read_checkpoint(r, cp).empty()) return true;  // not one we can read: passed on as it is
  if (engine_.records() == 0 && pending_.empty() && !time_field_.empty() && !cp.watermark.empty()) {
    // Resumed (stream-parse --resume writes the stored checkpoint first).
    auto time_of = [](std::string_view json) -> std::optional<int64_t> {
      if (json.size() < 2 || json.front() != '"') return std::nullopt;
      return su::parse_rfc3339(json.substr(1, json.size() - 2));
    };
    std::optional<int64_t> final_w = time_of(cp.watermark);
    std::optional<int64_t> replay_w = time_of(cp.replay_watermark.empty() ? cp.watermark : cp.replay_watermark);
    if (final_w && replay_w) engine_.resume(*replay_w, *final_w);
  }
  if (!out_) return false;
  // One waiting for the same windows as this one, of the same source: this
  // one is enough (a long window, or none, keeps few checkpoints).
  if (!pending_.empty() && pending_.back().cp.source == cp.source && engine_.last_first() <= pending_.back().after)
    pending_.pop_back();
  pending_.push_back({std::move(cp), engine_.records(), time_json(engine_.watermark())});
  release();
  return false;
}

void Handler::release() {
  checked_closes_ = engine_.closes();
  const uint64_t oldest = engine_.oldest_held();
  while (!pending_.empty() && pending_.front().after < oldest) {
    Pending& p = pending_.front();
    p.cp.watermark = time_json(engine_.final_watermark());
    p.cp.replay_watermark = p.replay;
    su::control::append_checkpoint(out_->buf(), p.cp);
    out_->end_record();
    pending_.pop_front();
  }
}

void Handler::finish(bool) {
  // What is still open is provisional: only the checkpoints from before its
  // oldest record go on; a next run reads those windows again, whole.
  if (!pending_.empty()) release();
  pending_.clear();
  engine_.close_all();
  if (diag_ && engine_.replayed()) {
    diag_->warn(std::to_string(engine_.replayed()) +
                " records read again after the checkpoint were skipped: their windows were final and stored "
                "before it");
  }
  if (!diag_) return;
  for (size_t i = 0; i < names_.size(); ++i) {
    std::string w = fields_.never_found_warning(i, names_[i]);
    if (!w.empty()) diag_->warn(w);
  }
}

int Handler::timeout_ms() {
  if (!progress_.active()) return -1;
  int t = progress_.tick(clock_ns(CLOCK_MONOTONIC), clock_ns(CLOCK_REALTIME));
  if (!pending_.empty() && engine_.closes() != checked_closes_) release();  // closed by --idle
  return t;
}

}  // namespace window_tool
