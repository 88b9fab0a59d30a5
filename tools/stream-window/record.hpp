// Reads what stream-window needs from one NDJSON line, with simdjson
// On-Demand and nothing more: the time field and the --by key fields.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "su/json/json.hpp"
#include "su/time/timeparse.hpp"

namespace window_tool {

class RecordReader {
 public:
  // time_field empty: processing time (no time is read).
  RecordReader(std::string time_field, std::vector<std::string> by, su::TimeParser parser);

  // Parses the line. On success returns empty and sets *time (when a time
  // field is read) and key() (the --by members as `"f":value,...`); else
  // returns the reason to reject the line.
  std::string read(const su::Line& line, int64_t* time);
  // The same for a line already parsed (su::JsonBlockReader).
  std::string read(const su::Line& line, simdjson::ondemand::document& doc, int64_t* time);
  std::string_view key() const { return key_; }

 private:
  std::string read_object(const su::Line& line, simdjson::ondemand::document& doc, int64_t* time);
  std::string read_time(simdjson::ondemand::object& obj, int64_t* time);
  std::string read_key(simdjson::ondemand::object& obj);

  std::string time_field_;
  std::vector<std::string> by_;
  std::vector<std::string> by_prefix_;  // `"name":` for each --by field
  su::TimeParser parser_;
  su::JsonLineParser json_;
  simdjson::ondemand::document doc_;
  std::string key_;
};

}  // namespace window_tool
