// "Did you mean": edit distance and the closest candidate.
#include <doctest/doctest.h>

#include "su/core/suggest.hpp"

TEST_CASE("edit_distance: insertions, deletions, substitutions") {
  CHECK(su::edit_distance("", "") == 0);
  CHECK(su::edit_distance("abc", "") == 3);
  CHECK(su::edit_distance("sensr", "sensor") == 1);
  CHECK(su::edit_distance("temprature", "temperature") == 1);
  CHECK(su::edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("closest_name: a likely typo or a prefix, else nothing") {
  const std::vector<std::string> fields = {"time", "sensor", "temperature", "humidity"};
  CHECK(su::closest_name("temprature", fields) == "temperature");
  CHECK(su::closest_name("sensr", fields) == "sensor");
  CHECK(su::closest_name("tme", fields) == "time");
  CHECK_FALSE(su::closest_name("xyz", fields));
  CHECK_FALSE(su::closest_name("sensor", fields));  // a candidate itself: nothing to suggest
  CHECK_FALSE(su::closest_name("a", {}));
  CHECK_FALSE(su::closest_name("c", {"a", "b"}));  // one letter off a one-letter name is no typo
  const std::vector<std::string> options = {"--by", "--every", "--approx", "--rejects", "--strict"};
  CHECK(su::closest_name("--by-key", options) == "--by");
  CHECK(su::closest_name("--evry", options) == "--every");
  CHECK(su::closest_name("--strikt", options) == "--strict");
  CHECK_FALSE(su::closest_name("--frobnicate", options));
}
