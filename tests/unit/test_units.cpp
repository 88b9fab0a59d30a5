// Durations and sizes as the tools' options take them.
#include <doctest/doctest.h>

#include "su/core/error.hpp"
#include "su/core/units.hpp"

TEST_CASE("durations: single units, sums and fractions") {
  CHECK(su::parse_duration("250ms") == 250'000'000);
  CHECK(su::parse_duration("30s") == 30'000'000'000);
  CHECK(su::parse_duration("5m") == 300'000'000'000);
  CHECK(su::parse_duration("1h30m") == 5'400'000'000'000);
  CHECK(su::parse_duration("1d") == 86'400'000'000'000);
  CHECK(su::parse_duration("1.5s") == 1'500'000'000);
  CHECK(su::parse_duration("0") == 0);
}

TEST_CASE("durations: bad text is refused") {
  CHECK_FALSE(su::parse_duration(""));
  CHECK_FALSE(su::parse_duration("9000000000000000000ns9000000000000000000ns"));  // the sum overflows int64 ns
  CHECK_FALSE(su::parse_duration("106751d106751d"));
  CHECK_FALSE(su::parse_duration("10"));
  CHECK_FALSE(su::parse_duration("5x"));
  CHECK_FALSE(su::parse_duration("m5"));
  CHECK_THROWS_AS(su::duration_arg("--idle", "soon"), su::UsageError);
}

TEST_CASE("sizes") {
  CHECK(su::parse_size("4096") == 4096u);
  CHECK(su::parse_size("64K") == 65536u);
  CHECK(su::parse_size("64M") == 64u << 20);
  CHECK(su::parse_size("1G") == 1u << 30);
  CHECK_FALSE(su::parse_size("12Q"));
  CHECK_FALSE(su::parse_size("M"));
}

TEST_CASE("format_duration") {
  CHECK(su::format_duration(5'400'000'000'000) == "1h30m");
  CHECK(su::format_duration(250'000'000) == "250ms");
  CHECK(su::format_duration(0) == "0s");
}

TEST_CASE("counts: positive integers only; the reasons name what was expected") {
  CHECK(su::parse_count("1") == 1);
  CHECK(su::parse_count("10000") == 10000);
  CHECK_FALSE(su::parse_count("0"));
  CHECK_FALSE(su::parse_count("-3"));
  CHECK_FALSE(su::parse_count("5x"));
  CHECK_FALSE(su::parse_count(""));
  CHECK(su::invalid_count("0", "records") == "expected a positive number of records, got '0'");
  CHECK(su::invalid_duration("soon") == "invalid duration 'soon' (expected e.g. 250ms, 30s, 5m, 1h30m, 1d)");
  CHECK(su::invalid_size("lots") == "invalid size 'lots' (expected e.g. 4096, 64K, 64M, 1G)");
}
