// The sink's record callbacks (see sink.hpp).
#include "sink.hpp"

#include <cmath>
#include <unordered_map>

namespace sink {
namespace {

std::string_view trim_token(std::string_view t) {
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\n' || t.back() == '\r'))
    t.remove_suffix(1);
  return t;
}

// A number without fraction or exponent. Read beyond int64 it is a double
// (to_value); the sink keeps its digits (table_writer.hpp, big_integer).
bool is_json_integer(std::string_view token) {
  return !token.empty() && token.find_first_of(".eE") == std::string_view::npos;
}

}  // namespace

std::string Sink::read(const su::Line& line, simdjson::ondemand::document& doc) {
  fields_.clear();
  simdjson::ondemand::object obj;
  if (auto e = doc.get_object().get(obj)) return su::json_error_message(e);
  for (auto&& member : obj) {
    simdjson::ondemand::field f;
    if (auto e = std::move(member).get(f)) return su::json_error_message(e);
    Field& out = fields_.emplace_back();
    if (auto e = f.unescaped_key().get(out.name)) return su::json_error_message(e);
    simdjson::ondemand::value& v = f.value();
    if (auto e = su::to_value(v, out.value)) return su::json_error_message(e);
    // The token is found by its position, which stays valid after reading.
    if (out.value.kind == su::Value::Kind::Double && std::fabs(out.value.d) >= 9.2e18)
      if (std::string_view token = trim_token(v.raw_json_token()); is_json_integer(token))
        out.value = big_integer(token);
  }
  drop_duplicate_names();
  own(line.text);
  return {};
}

// A name given twice in one object: the last member counts (stream-utils(7),
// as in JSON.parse and jq); it takes the first one's place, the column order.
// Names that differ only in case stay: they are two fields that SQLite would
// put in one column, and table_writer rejects the record with that reason.
void Sink::drop_duplicate_names() {
  const size_t n = fields_.size();
  if (n < 2) return;
  if (n <= 32) {  // the usual record: a quick look before any hashing
    bool any = false;
    for (size_t i = 1; i < n && !any; ++i)
      for (size_t j = 0; j < i && !any; ++j) any = fields_[i].name == fields_[j].name;
    if (!any) return;
  }
  std::unordered_map<std::string_view, size_t> first;
  size_t kept = 0;
  for (size_t i = 0; i < n; ++i) {
    auto [it, fresh] = first.emplace(fields_[i].name, kept);
    if (fresh)
      fields_[kept++] = fields_[i];
    else
      fields_[it->second].value = fields_[i].value;
  }
  fields_.resize(kept);
}

void Sink::own(std::string_view line) {
  auto outside = [line](std::string_view v) {
    return !v.empty() && (v.data() < line.data() || v.data() + v.size() > line.data() + line.size());
  };
  auto has_text = [](const su::Value& v) {
    return v.kind == su::Value::Kind::String || v.kind == su::Value::Kind::Json;
  };
  size_t need = 0;
  for (const Field& f : fields_) {
    if (outside(f.name)) need += f.name.size();
    if (has_text(f.value) && outside(f.value.s)) need += f.value.s.size();
  }
  owned_.clear();
  owned_.reserve(need);  // no reallocation below: the views stay valid
  auto copy = [this](std::string_view s) {
    size_t at = owned_.size();
    owned_.append(s);
    return std::string_view(owned_.data() + at, s.size());
  };
  for (Field& f : fields_) {
    if (outside(f.name)) f.name = copy(f.name);
    if (has_text(f.value) && outside(f.value.s)) f.value.s = copy(f.value.s);
  }
}

std::string Sink::apply(const su::Line& l) {
  if (tee_) {
    out_.write(l.text);
    out_.put('\n');
    out_.end_record();
  }
  rows_.add(fields_, l);
  return {};
}

bool Sink::checkpoint(const su::Line& l, const su::control::Record& c) {
  su::control::Checkpoint cp;
  std::string reason = su::control::read_checkpoint(c, cp);
  if (!reason.empty()) {
    rows_.reject(l, reason);
    return false;
  }
  rows_.checkpoint(cp, l.text);
  return true;
}

void Sink::control(const su::Line&, const su::control::Record& c) {
  if (c.kind == su::control::Kind::Close) rows_.commit();
}

}  // namespace sink
