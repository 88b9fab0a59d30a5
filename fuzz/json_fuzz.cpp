// libFuzzer target: the NDJSON entry points on arbitrary bytes. The cheap
// control-line check, On-Demand parsing of a line (padded and unpadded)
// with every value converted by to_value, full validation, and the JSON
// writer's escaping (its output must itself validate as JSON).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "su/core/json_write.hpp"
#include "su/json/control.hpp"
#include "su/json/json.hpp"

namespace {
void require(bool ok) {
  if (!ok) __builtin_trap();
}

void walk(simdjson::ondemand::object obj, std::string& sink) {
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return;
    su::Value v;
    if (su::to_value(field.value(), v)) return;
    su::append_value(sink, v);
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static su::JsonLineParser parser;
  (void)su::control::is_control_line(text);

  // Unpadded: goes through the parser's padded copy.
  simdjson::ondemand::document doc;
  std::string sink;
  if (parser.parse(text, doc).empty()) {
    simdjson::ondemand::object obj;
    if (!doc.get_object().get(obj)) walk(obj, sink);
  }

  // As a Line with padding: parsed in place.
  std::string padded(text);
  padded.append(su::kInputPadding, ' ');
  su::Line line;
  line.text = std::string_view(padded.data(), size);
  line.capacity = padded.size();
  simdjson::ondemand::document doc2;
  if (parser.parse(line, doc2).empty()) {
    simdjson::ondemand::object obj;
    if (!doc2.get_object().get(obj)) walk(obj, sink);
  }

  const bool valid = parser.validate(text).empty();
  (void)valid;

  // Any bytes written as a JSON string make a valid JSON document.
  std::string json = "{\"s\":";
  su::append_json_string(json, text);
  json += '}';
  require(parser.validate(json).empty());
  return 0;
}
