// "Did you mean": edit distance and the closest known name.
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "su/core/suggest.hpp"

TEST_CASE("edit distance: insertions, deletions, substitutions, transpositions") {
  CHECK(su::edit_distance("", "") == 0);
  CHECK(su::edit_distance("abc", "") == 3);
  CHECK(su::edit_distance("", "ab") == 2);
  CHECK(su::edit_distance("temprature", "temperature") == 1);
  CHECK(su::edit_distance("sensro", "sensor") == 1);  // one transposition
  CHECK(su::edit_distance("kitten", "sitting") == 3);
  CHECK(su::edit_distance("json", "ndjson") == 2);
  CHECK(su::edit_distance("Status", "status") == 0);  // case does not count
}

TEST_CASE("closest name: a likely typo is found, anything else is not") {
  std::vector<std::string> fields{"time", "sensor", "temperature", "humidity"};
  CHECK(su::closest_name("temprature", fields) == "temperature");
  CHECK(su::closest_name("sensr", fields) == "sensor");
  CHECK(su::closest_name("Sensor", fields) == "sensor");
  CHECK(su::closest_name("tmie", fields) == "time");
  CHECK_FALSE(su::closest_name("bytes", fields));
  CHECK_FALSE(su::closest_name("x", fields));
  CHECK_FALSE(su::closest_name("", fields));
  CHECK_FALSE(su::closest_name("temperature", std::vector<std::string>{}));
}

TEST_CASE("closest name: one name inside the other") {
  std::vector<std::string_view> formats{"csv", "tsv", "ndjson", "logfmt", "combined", "syslog"};
  CHECK(su::closest_name("json", formats) == "ndjson");
  CHECK(su::closest_name("log", formats) == "logfmt");
  CHECK(su::closest_name("cvs", formats) == "csv");
  CHECK_FALSE(su::closest_name("xml", formats));
}

TEST_CASE("closest name: the exact name wins, then the first of equals") {
  CHECK(su::closest_name("ab", std::vector<std::string>{"AB", "ab"}) == "ab");
  CHECK(su::closest_name("cat", std::vector<std::string>{"bat", "cab"}) == "bat");
  CHECK_FALSE(su::closest_name("ab", std::vector<std::string>{"cd"}));
}

TEST_CASE("did you mean: the text for the end of a message") {
  std::vector<std::string> fields{"temperature"};
  CHECK(su::did_you_mean("temprature", fields) == " (did you mean 'temperature'?)");
  CHECK(su::did_you_mean("bytes", fields) == "");
}

TEST_CASE("closest name: fields and options as the tools ask") {
  const std::vector<std::string> fields = {"time", "sensor", "temperature", "humidity"};
  CHECK(su::closest_name("temprature", fields) == "temperature");
  CHECK(su::closest_name("sensr", fields) == "sensor");
  CHECK(su::closest_name("tme", fields) == "time");
  CHECK_FALSE(su::closest_name("xyz", fields));
  CHECK_FALSE(su::closest_name("a", std::vector<std::string>{}));
  const std::vector<std::string> options = {"--by", "--every", "--approx", "--rejects", "--strict"};
  CHECK(su::closest_name("--by-key", options) == "--by");
  CHECK(su::closest_name("--evry", options) == "--every");
  CHECK(su::closest_name("--strikt", options) == "--strict");
  CHECK_FALSE(su::closest_name("--frobnicate", options));
}
