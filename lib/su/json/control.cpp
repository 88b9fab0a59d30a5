// The control-record protocol (see control.hpp).
#include "su/json/control.hpp"

#include <simdjson.h>

#include <charconv>

#include "su/core/json_write.hpp"
#include "su/json/field_reader.hpp"

namespace su::control {

const std::vector<std::string>& window_tags() {
  static const std::vector<std::string> tags = {std::string(kWindowStart), std::string(kWindowEnd),
                                                std::string(kWindow)};
  return tags;
}

bool is_control_line_slow(std::string_view s) {
  size_t i = 0;
  auto ws = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
  };
  ws();
  if (i >= s.size() || s[i] != '{') return false;
  ++i;
  ws();
  return s.size() - i >= kMember.size() + 2 && s[i] == '"' && s.substr(i + 1, kMember.size()) == kMember &&
         s[i + 1 + kMember.size()] == '"';
}

std::string read(const Line& line, FieldReader& reader, Record& out) {
  out.members.clear();
  out.name.clear();
  out.kind = Kind::Other;
  std::string err = reader.members(line, out.members);
  if (!err.empty()) return err;
  if (out.members.empty() || out.members[0].first != kMember) return "not a control record";
  std::string_view kind = out.members[0].second;
  if (kind.size() >= 2 && kind.front() == '"' && kind.back() == '"') out.name.assign(kind.substr(1, kind.size() - 2));
  if (out.name == "close")
    out.kind = Kind::Close;
  else if (out.name == "checkpoint")
    out.kind = Kind::Checkpoint;
  out.members.erase(out.members.begin());
  return {};
}

namespace {
// A JSON string's text, unescaped.
bool unescape(std::string_view json, std::string& out) {
  if (json.size() >= 2 && json.front() == '"' && json.back() == '"' &&
      json.substr(1, json.size() - 2).find_first_of("\\\"") == std::string_view::npos) {
    out.assign(json.substr(1, json.size() - 2));  // the usual path: nothing escaped
    return true;
  }
  simdjson::padded_string p(json);
  simdjson::dom::parser parser;
  std::string_view v;
  if (parser.parse(p).get_string().get(v)) return false;
  out.assign(v);
  return true;
}
bool unsigned_value(std::string_view json, uint64_t& out) {
  auto r = std::from_chars(json.data(), json.data() + json.size(), out);
  return r.ec == std::errc() && r.ptr == json.data() + json.size();
}
}  // namespace

std::string read_checkpoint(const Record& r, Checkpoint& out) {
  out = Checkpoint{};
  bool source = false, file = false, offset = false;
  for (const auto& [name, value] : r.members) {
    bool ok = true;
    if (name == "source") {
      ok = source = unescape(value, out.source);
    } else if (name == "file") {
      ok = file = unescape(value, out.file);
    } else if (name == "offset") {
      ok = offset = unsigned_value(value, out.offset);
    } else if (name == "line") {
      ok = unsigned_value(value, out.line);
    } else if (name == "size") {
      ok = unsigned_value(value, out.size);
    } else if (name == kWatermark) {
      out.watermark = value;
    } else if (name == kReplayWatermark) {
      out.replay_watermark = value;
    }
    if (!ok) return "checkpoint: bad \"" + name + "\": " + value;
  }
  if (!source || !file || !offset) return "checkpoint without \"source\", \"file\" and \"offset\"";
  return {};
}

void append_checkpoint(std::string& out, const Checkpoint& c) {
  out.append("{\"_control\":\"checkpoint\",\"source\":");
  append_json_string(out, c.source);
  out.append(",\"file\":");
  append_json_string(out, c.file);
  out.append(",\"offset\":");
  append_int(out, int64_t(c.offset));
  out.append(",\"line\":");
  append_int(out, int64_t(c.line));
  out.append(",\"size\":");
  append_int(out, int64_t(c.size));
  if (!c.watermark.empty()) {
    out.append(",\"watermark\":");
    out.append(c.watermark);
  }
  if (!c.replay_watermark.empty()) {
    out.append(",\"replay_watermark\":");
    out.append(c.replay_watermark);
  }
  out.append("}\n");
}

void append_close(std::string& out, std::string_view tags, std::string_view key) {
  out.append("{\"_control\":\"close\",");
  out.append(tags);
  if (!key.empty()) {
    out.push_back(',');
    out.append(key);
  }
  out.append("}\n");
}

void append_time_tags(std::string& out, std::string_view start, std::string_view end) {
  out.append("\"window_start\":");
  out.append(start);
  out.append(",\"window_end\":");
  out.append(end);
}

void append_count_tag(std::string& out, int64_t window) {
  out.append("\"window\":");
  append_int(out, window);
}

}  // namespace su::control
