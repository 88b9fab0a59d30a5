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
  // Everything apply() needs is copied out here (time_, key_): the document
  // may end before apply().
  std::string err = fields_.read(doc);
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
  return engine_.add(line.text, time_, key_);
}

void Handler::finish(bool) {
  engine_.close_all();
  if (!diag_) return;
  for (size_t i = 0; i < names_.size(); ++i) {
    std::string w = fields_.never_found_warning(i, names_[i]);
    if (!w.empty()) diag_->warn(w);
  }
}

int Handler::timeout_ms() {
  if (!progress_.active()) return -1;
  return progress_.tick(clock_ns(CLOCK_MONOTONIC), clock_ns(CLOCK_REALTIME));
}

}  // namespace window_tool
