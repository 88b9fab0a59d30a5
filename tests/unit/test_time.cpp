// Timestamp recognition (every format of CONTRACT 4) and RFC 3339 output.
#include <doctest/doctest.h>

#include <climits>
#include <random>
#include <string>
#include <vector>

#include "su/time/timeparse.hpp"

namespace {
constexpr int64_t S = su::kNsPerSec;
constexpr int64_t kBase = 1795255200;  // 2026-11-21T10:00:00Z
}  // namespace

TEST_CASE("calendar: leap years and day counts") {
  CHECK(su::is_leap_year(2024));
  CHECK(su::is_leap_year(2000));
  CHECK_FALSE(su::is_leap_year(1900));
  CHECK_FALSE(su::is_leap_year(2026));
  CHECK(su::days_in_month(2024, 2) == 29);
  CHECK(su::days_in_month(2026, 2) == 28);
  CHECK(su::days_from_civil(1970, 1, 1) == 0);
  CHECK(su::days_from_civil(1969, 12, 31) == -1);
  int64_t y;
  int m, d;
  su::civil_from_days(su::days_from_civil(2024, 2, 29), y, m, d);
  CHECK((y == 2024 && m == 2 && d == 29));
}

TEST_CASE("rfc3339: zones, offsets, fractions, space separator") {
  CHECK(su::parse_rfc3339("2026-11-21T10:00:00Z") == kBase * S);
  CHECK(su::parse_rfc3339("2026-11-21t10:00:00z") == kBase * S);
  CHECK(su::parse_rfc3339("2026-11-21T10:00:00.123Z") == kBase * S + 123'000'000);
  CHECK(su::parse_rfc3339("2026-11-21T10:00:00.123456789Z") == kBase * S + 123'456'789);
  CHECK(su::parse_rfc3339("2026-11-21T10:00:00.1234567891Z") == kBase * S + 123'456'789);
  CHECK(su::parse_rfc3339("2026-11-21T11:00:00+01:00") == kBase * S);
  CHECK(su::parse_rfc3339("2026-11-21T04:30:00-05:30") == kBase * S);
  CHECK(su::parse_rfc3339("2026-11-21T11:00:00+0100") == kBase * S);
  CHECK(su::parse_rfc3339("2026-11-21T11:00:00+01") == kBase * S);
  CHECK(su::parse_rfc3339("2026-11-21 10:00:00") == kBase * S);  // no zone = UTC
  CHECK(su::parse_rfc3339("2026-11-21 11:00:00 +0100") == kBase * S);
  CHECK(su::parse_rfc3339("2026-11-21T10:00Z") == kBase * S);
  CHECK(su::parse_rfc3339("2026-11-21") == (kBase - 10 * 3600) * S);
  CHECK(su::parse_rfc3339("2026-11-21T10:00:00,5Z") == kBase * S + S / 2);
}

TEST_CASE("rfc3339: leap days and out-of-range fields") {
  CHECK(su::parse_rfc3339("2024-02-29T12:00:00Z") == int64_t(1709208000) * S);
  CHECK(su::parse_rfc3339("2000-02-29T00:00:00Z") == int64_t(951782400) * S);
  CHECK_FALSE(su::parse_rfc3339("2026-02-29T12:00:00Z"));
  CHECK_FALSE(su::parse_rfc3339("1900-02-29T12:00:00Z"));
  CHECK_FALSE(su::parse_rfc3339("2026-13-01T00:00:00Z"));
  CHECK_FALSE(su::parse_rfc3339("2026-11-31T00:00:00Z"));
  CHECK_FALSE(su::parse_rfc3339("2026-11-21T24:00:00Z"));
  CHECK_FALSE(su::parse_rfc3339("2026-11-21T10:00:00+25:00"));
  CHECK_FALSE(su::parse_rfc3339("2026-11-21T10:00:00Zjunk"));
  CHECK_FALSE(su::parse_rfc3339("not a time"));
  CHECK_FALSE(su::parse_rfc3339(""));
}

TEST_CASE("rfc3339: before 1970") {
  CHECK(su::parse_rfc3339("1969-12-31T23:59:59.5Z") == -S / 2);
  CHECK(su::format_rfc3339(-S / 2) == "1969-12-31T23:59:59.500Z");
}

TEST_CASE("time zones for timestamps without one") {
  auto plus1 = su::TimeZone::parse("+01:00");
  REQUIRE(plus1);
  CHECK(su::parse_rfc3339("2026-11-21 11:00:00", *plus1) == kBase * S);
  CHECK(su::parse_rfc3339("2026-11-21T10:00:00Z", *plus1) == kBase * S);  // an explicit zone wins
  auto utc2 = su::TimeZone::parse("UTC+2");
  REQUIRE(utc2);
  CHECK(su::parse_rfc3339("2026-11-21 12:00:00", *utc2) == kBase * S);
  CHECK_FALSE(su::TimeZone::parse("Mars/Olympus"));
  CHECK_FALSE(su::TimeZone::parse("+99:00"));
  auto berlin = su::TimeZone::parse("Europe/Berlin");  // needs the zone database (tzdata)
  REQUIRE(berlin);
  CHECK(su::parse_rfc3339("2026-07-01 12:00:00", *berlin) == int64_t(1782900000) * S);  // CEST, +02:00
  CHECK(su::parse_rfc3339("2026-11-21 11:00:00", *berlin) == kBase * S);                // CET, +01:00
  CHECK(su::TimeZone::parse("-0530"));
  CHECK(su::TimeZone::parse("GMT-3"));
  CHECK_FALSE(su::TimeZone::parse("+1:00"));
  CHECK_FALSE(su::TimeZone::parse("../../etc/passwd"));
  CHECK_FALSE(su::TimeZone::parse("/etc/localtime"));
  CHECK(su::TimeZone::parse("UTC")->is_utc());
  CHECK(su::TimeZone::parse("+00:00")->is_utc());
  CHECK_FALSE(su::TimeZone::parse("+01:00")->is_utc());
  CHECK_FALSE(berlin->is_utc());
}

namespace {
int64_t at(std::string_view rfc3339) {
  return *su::parse_rfc3339(rfc3339);
}
su::TimeZone zone(std::string_view name) {
  auto tz = su::TimeZone::parse(name);
  REQUIRE_MESSAGE(tz, "zone ", std::string(name), " (tzdata installed?)");
  return *tz;
}
int64_t local(int64_t y, int m, int d, int hh, int mm) {
  return su::days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60;
}
// A calendar period as "start/end" in RFC 3339 UTC.
std::string period(std::string_view t, su::CalendarUnit unit, int64_t n, const su::TimeZone& tz) {
  su::CalendarPeriod p = su::calendar_period(at(t), unit, n, tz);
  return su::format_rfc3339(p.start) + "/" + su::format_rfc3339(p.end);
}
constexpr auto Day = su::CalendarUnit::Day;
constexpr auto Week = su::CalendarUnit::Week;
constexpr auto Month = su::CalendarUnit::Month;
}  // namespace

TEST_CASE("time zones: wall times at Europe/Berlin's 2026 changes (skipped, repeated)") {
  const su::TimeZone berlin = zone("Europe/Berlin");
  CHECK(berlin.local_to_utc(local(2026, 3, 29, 1, 59)) == at("2026-03-29T00:59:00Z") / S);  // CET
  // 02:30 does not exist: read with the offset from before (= 03:30 CEST).
  CHECK(berlin.local_to_utc(local(2026, 3, 29, 2, 30)) == at("2026-03-29T01:30:00Z") / S);
  CHECK(berlin.local_to_utc(local(2026, 3, 29, 3, 0)) == at("2026-03-29T01:00:00Z") / S);  // CEST
  // 02:30 comes twice: the first one (CEST).
  CHECK(berlin.local_to_utc(local(2026, 10, 25, 2, 30)) == at("2026-10-25T00:30:00Z") / S);
  CHECK(berlin.local_to_utc(local(2026, 10, 25, 3, 0)) == at("2026-10-25T02:00:00Z") / S);  // CET
  CHECK(berlin.utc_offset(at("2026-03-29T00:59:59Z") / S) == 3600);
  CHECK(berlin.utc_offset(at("2026-03-29T01:00:00Z") / S) == 7200);
  CHECK(berlin.utc_offset(at("2026-10-25T00:59:59Z") / S) == 7200);
  CHECK(berlin.utc_offset(at("2026-10-25T01:00:00Z") / S) == 3600);
  // Zone-less timestamps read in the zone, on both sides of each change.
  CHECK(su::parse_rfc3339("2026-03-29 01:59:59", berlin) == at("2026-03-29T00:59:59Z"));
  CHECK(su::parse_rfc3339("2026-03-29 03:00:00", berlin) == at("2026-03-29T01:00:00Z"));
  CHECK(su::parse_rfc3339("2026-10-25 03:00:00", berlin) == at("2026-10-25T02:00:00Z"));
}

TEST_CASE("time zones: two zones in one process give different answers, each its own") {
  const su::TimeZone berlin = zone("Europe/Berlin"), new_york = zone("America/New_York");
  su::TimeParser in_berlin(berlin), in_new_york(new_york), in_tokyo(zone("Asia/Tokyo"));
  for (int round = 0; round < 2; ++round) {  // interleaved: no zone is global state
    CHECK(in_berlin.parse("2026-11-21 11:00:00") == at("2026-11-21T10:00:00Z"));
    CHECK(in_new_york.parse("2026-11-21 11:00:00") == at("2026-11-21T16:00:00Z"));
    CHECK(in_tokyo.parse("2026-11-21 11:00:00") == at("2026-11-21T02:00:00Z"));
    CHECK(in_berlin.parse("2026-07-01 12:00:00") == at("2026-07-01T10:00:00Z"));
    CHECK(in_new_york.parse("2026-07-01 12:00:00") == at("2026-07-01T16:00:00Z"));
  }
  CHECK(period("2026-11-21T12:00:00Z", Day, 1, berlin) == "2026-11-20T23:00:00Z/2026-11-21T23:00:00Z");
  CHECK(period("2026-11-21T12:00:00Z", Day, 1, new_york) == "2026-11-21T05:00:00Z/2026-11-22T05:00:00Z");
  CHECK(period("2026-11-21T12:00:00Z", Day, 1, berlin) == "2026-11-20T23:00:00Z/2026-11-21T23:00:00Z");
}

TEST_CASE("time zones: cached offsets agree with a fresh lookup, hour by hour and at each change") {
  for (const char* name : {"Europe/Berlin", "America/New_York", "Australia/Adelaide", "Asia/Kolkata", "Pacific/Apia",
                           "Europe/Amsterdam"}) {
    CAPTURE(name);
    const su::TimeZone swept = zone(name);
    // 1935-1940 holds Amsterdam's +00:19:32 and 2011 Samoa's skipped day.
    for (int64_t from : {local(1935, 1, 1, 0, 0), local(2011, 1, 1, 0, 0), local(2026, 1, 1, 0, 0)}) {
      int differ = 0;
      for (int64_t l = from; l < from + 2 * 366 * 86400; l += 1800 + 7) {  // not on the hour: odd offsets too
        const int64_t u = swept.local_to_utc(l);
        differ += u != su::TimeZone::parse(name)->local_to_utc(l);
        differ += swept.utc_offset(l) != su::TimeZone::parse(name)->utc_offset(l);
        differ += swept.utc_offset(u) != su::TimeZone::parse(name)->utc_offset(u);
      }
      CHECK(differ == 0);
    }
  }
}

TEST_CASE("calendar periods: local days of 23 and 25 hours at real changes") {
  const su::TimeZone berlin = zone("Europe/Berlin"), new_york = zone("America/New_York");
  CHECK(period("2026-03-29T12:00:00Z", Day, 1, berlin) == "2026-03-28T23:00:00Z/2026-03-29T22:00:00Z");  // 23 h
  CHECK(period("2026-03-28T23:00:00Z", Day, 1, berlin) == "2026-03-28T23:00:00Z/2026-03-29T22:00:00Z");
  CHECK(period("2026-03-28T22:59:59.999Z", Day, 1, berlin) == "2026-03-27T23:00:00Z/2026-03-28T23:00:00Z");
  CHECK(period("2026-03-29T22:00:00Z", Day, 1, berlin) == "2026-03-29T22:00:00Z/2026-03-30T22:00:00Z");
  CHECK(period("2026-10-25T12:00:00Z", Day, 1, berlin) == "2026-10-24T22:00:00Z/2026-10-25T23:00:00Z");  // 25 h
  CHECK(period("2026-10-25T22:59:59Z", Day, 1, berlin) == "2026-10-24T22:00:00Z/2026-10-25T23:00:00Z");
  CHECK(period("2026-03-08T12:00:00Z", Day, 1, new_york) == "2026-03-08T05:00:00Z/2026-03-09T04:00:00Z");  // 23 h
  CHECK(period("2026-03-08T04:59:59Z", Day, 1, new_york) == "2026-03-07T05:00:00Z/2026-03-08T05:00:00Z");
  CHECK(period("2026-11-01T12:00:00Z", Day, 1, new_york) == "2026-11-01T04:00:00Z/2026-11-02T05:00:00Z");  // 25 h
  CHECK(period("2026-11-02T04:59:59Z", Day, 1, new_york) == "2026-11-01T04:00:00Z/2026-11-02T05:00:00Z");
}

TEST_CASE("calendar periods: no daylight saving, half-hour offsets, fixed offsets, UTC") {
  CHECK(period("2026-11-21T10:00:00Z", Day, 1, zone("Asia/Tokyo")) == "2026-11-20T15:00:00Z/2026-11-21T15:00:00Z");
  CHECK(period("2026-11-21T15:00:00Z", Day, 1, zone("Asia/Tokyo")) == "2026-11-21T15:00:00Z/2026-11-22T15:00:00Z");
  CHECK(period("2026-03-29T12:00:00Z", Day, 1, zone("Asia/Tokyo")) == "2026-03-28T15:00:00Z/2026-03-29T15:00:00Z");
  CHECK(period("2026-11-21T10:00:00Z", Day, 1, zone("Asia/Kolkata")) == "2026-11-20T18:30:00Z/2026-11-21T18:30:00Z");
  CHECK(period("2026-11-21T18:29:59Z", Day, 1, zone("Asia/Kolkata")) == "2026-11-20T18:30:00Z/2026-11-21T18:30:00Z");
  // Adelaide: +10:30 -> +09:30 on 2026-04-05 (25 h), back on 2026-10-04 (23 h).
  const su::TimeZone adelaide = zone("Australia/Adelaide");
  CHECK(period("2026-04-05T00:00:00Z", Day, 1, adelaide) == "2026-04-04T13:30:00Z/2026-04-05T14:30:00Z");
  CHECK(period("2026-10-04T00:00:00Z", Day, 1, adelaide) == "2026-10-03T14:30:00Z/2026-10-04T13:30:00Z");
  CHECK(period("2026-11-21T10:00:00Z", Day, 1, zone("-05:30")) == "2026-11-21T05:30:00Z/2026-11-22T05:30:00Z");
  CHECK(period("2026-11-21T10:00:00Z", Day, 1, su::TimeZone()) == "2026-11-21T00:00:00Z/2026-11-22T00:00:00Z");
}

TEST_CASE("calendar periods: where a change moves or skips midnight itself") {
  // Havana springs forward at 00:00: 2026-03-08 starts at 01:00 local, the instant of the change.
  CHECK(period("2026-03-08T05:30:00Z", Day, 1, zone("America/Havana")) == "2026-03-08T05:00:00Z/2026-03-09T04:00:00Z");
  // Samoa skipped 2011-12-30: the day before ends where 2011-12-31 starts.
  const su::TimeZone apia = zone("Pacific/Apia");
  CHECK(period("2011-12-30T09:59:59Z", Day, 1, apia) == "2011-12-29T10:00:00Z/2011-12-30T10:00:00Z");
  CHECK(period("2011-12-30T10:00:00Z", Day, 1, apia) == "2011-12-30T10:00:00Z/2011-12-31T10:00:00Z");
}

TEST_CASE("calendar periods: weeks start on Monday, across month and year ends") {
  const su::TimeZone utc;
  CHECK(period("2026-07-01T12:00:00Z", Week, 1, utc) == "2026-06-29T00:00:00Z/2026-07-06T00:00:00Z");
  CHECK(period("2026-12-31T12:00:00Z", Week, 1, utc) == "2026-12-28T00:00:00Z/2027-01-04T00:00:00Z");
  CHECK(period("2027-01-03T23:59:59Z", Week, 1, utc) == "2026-12-28T00:00:00Z/2027-01-04T00:00:00Z");
  CHECK(period("2027-01-04T00:00:00Z", Week, 1, utc) == "2027-01-04T00:00:00Z/2027-01-11T00:00:00Z");
  CHECK(period("1970-01-01T00:00:00Z", Week, 1, utc) == "1969-12-29T00:00:00Z/1970-01-05T00:00:00Z");
  // A Berlin week holding the spring change lasts 167 hours.
  CHECK(period("2026-03-29T12:00:00Z", Week, 1, zone("Europe/Berlin")) == "2026-03-22T23:00:00Z/2026-03-29T22:00:00Z");
  CHECK(period("2026-07-01T12:00:00Z", Week, 2, utc) == "2026-06-29T00:00:00Z/2026-07-13T00:00:00Z");
}

TEST_CASE("calendar periods: months of 28, 29, 30 and 31 days; quarters; years") {
  const su::TimeZone utc;
  CHECK(period("2026-02-14T00:00:00Z", Month, 1, utc) == "2026-02-01T00:00:00Z/2026-03-01T00:00:00Z");  // 28
  CHECK(period("2028-02-29T23:59:59Z", Month, 1, utc) == "2028-02-01T00:00:00Z/2028-03-01T00:00:00Z");  // 29
  CHECK(period("2026-04-30T12:00:00Z", Month, 1, utc) == "2026-04-01T00:00:00Z/2026-05-01T00:00:00Z");  // 30
  CHECK(period("2026-12-31T23:59:59Z", Month, 1, utc) == "2026-12-01T00:00:00Z/2027-01-01T00:00:00Z");  // 31
  CHECK(period("1969-12-15T00:00:00Z", Month, 1, utc) == "1969-12-01T00:00:00Z/1970-01-01T00:00:00Z");
  CHECK(period("2026-03-15T00:00:00Z", Month, 1, zone("Europe/Berlin")) == "2026-02-28T23:00:00Z/2026-03-31T22:00:00Z");
  CHECK(period("2026-05-15T00:00:00Z", Month, 3, utc) == "2026-04-01T00:00:00Z/2026-07-01T00:00:00Z");
  CHECK(period("2026-05-15T00:00:00Z", Month, 12, utc) == "2026-01-01T00:00:00Z/2027-01-01T00:00:00Z");
  CHECK(period("2026-12-31T12:00:00Z", Day, 2, utc) == "2026-12-31T00:00:00Z/2027-01-02T00:00:00Z");
}

TEST_CASE("epoch numbers: units told apart by magnitude") {
  CHECK(su::epoch_to_instant(int64_t(kBase)) == kBase * S);
  CHECK(su::epoch_to_instant(int64_t(kBase) * 1000 + 123) == kBase * S + 123'000'000);
  CHECK(su::epoch_to_instant(int64_t(kBase) * 1000000 + 7) == kBase * S + 7000);
  CHECK(su::epoch_to_instant(int64_t(kBase) * S + 9) == kBase * S + 9);
  CHECK(su::epoch_to_instant(int64_t(0)) == 0);
  CHECK(su::epoch_to_instant(1795255200.25) == kBase * S + S / 4);
  CHECK(su::epoch_to_instant(1795255200250.0) == kBase * S + S / 4);
  CHECK_FALSE(su::epoch_to_instant(50'000'000'000.0));  // seconds beyond year 2262
}

TEST_CASE("epoch numeric strings") {
  CHECK(su::parse_epoch_text("1795255200") == kBase * S);
  CHECK(su::parse_epoch_text("1795255200123") == kBase * S + 123'000'000);
  CHECK(su::parse_epoch_text("1795255200123456") == kBase * S + 123'456'000);
  CHECK(su::parse_epoch_text("1795255200123456789") == kBase * S + 123'456'789);
  CHECK(su::parse_epoch_text("1795255200.123456789") == kBase * S + 123'456'789);
  CHECK(su::parse_epoch_text("1795255200123.5") == kBase * S + 123'500'000);
  CHECK(su::parse_epoch_text("-1.5") == -S - S / 2);
  CHECK_FALSE(su::parse_epoch_text("12abc"));
  CHECK_FALSE(su::parse_epoch_text(""));
}

TEST_CASE("common log format") {
  CHECK(su::parse_clf("21/Nov/2026:10:00:00 +0000") == kBase * S);
  CHECK(su::parse_clf("[21/Nov/2026:11:00:00 +0100]") == kBase * S);
  CHECK(su::parse_clf("21/Nov/2026:05:00:00 -0500") == kBase * S);
  CHECK(su::parse_clf("29/Feb/2024:12:00:00 +0000") == int64_t(1709208000) * S);
  CHECK_FALSE(su::parse_clf("29/Feb/2026:12:00:00 +0000"));
  CHECK_FALSE(su::parse_clf("21/Foo/2026:10:00:00 +0000"));
}

TEST_CASE("syslog: year from the wall clock, New Year") {
  const int64_t jan2 = int64_t(1798761601 + 86400) * S;  // 2027-01-02T00:00:01Z
  // A December line read in January belongs to the previous year.
  CHECK(su::parse_syslog("Dec 31 23:59:59", jan2, true) == int64_t(1798761599) * S);
  CHECK(su::parse_syslog("Jan  1 00:00:01", jan2, true) == int64_t(1798761601) * S);
  CHECK(su::parse_syslog("Nov 21 10:00:00", kBase * S + S, true) == kBase * S);
  // A log read a little before it was written (clock skew) stays in this year.
  CHECK(su::parse_syslog("Nov 21 10:00:00", kBase * S - 3600 * S, true) == kBase * S);
  CHECK_FALSE(su::parse_syslog("Nov 31 10:00:00", kBase * S, true));
  CHECK_FALSE(su::parse_syslog("Nov 21 10:00", kBase * S, true));
}

TEST_CASE("syslog: a log crossing New Year, year from the previous record") {
  su::TimeParser p;
  p.set_clock(int64_t(1798761601 + 30 * 86400) * S);  // read at the end of January 2027
  auto dec = p.parse("Dec 31 23:59:59");
  auto jan = p.parse("Jan  1 00:00:01");
  auto dec_again = p.parse("Dec 31 23:59:58");  // out of order, back over New Year
  CHECK(dec == int64_t(1798761599) * S);
  CHECK(jan == int64_t(1798761601) * S);
  CHECK(dec_again == int64_t(1798761598) * S);
  CHECK(p.detected() == su::TimeFormat::Syslog);
}

TEST_CASE("syslog: Feb 29 only in a leap year") {
  const int64_t mar2025 = su::days_from_civil(2025, 3, 1) * 86400 * S;
  CHECK(su::parse_syslog("Feb 29 12:00:00", mar2025, true) == int64_t(1709208000) * S);  // 2024
}

TEST_CASE("strftime formats") {
  CHECK(su::parse_strftime("21.11.2026 10:00:00", "%d.%m.%Y %H:%M:%S") == kBase * S);
  CHECK(su::parse_strftime("11/21/26 10:00:00.250 AM", "%D %T.%f %p") == kBase * S + S / 4);
  CHECK(su::parse_strftime("Saturday, November 21 2026 10:00 pm +0100", "%A, %B %e %Y %I:%M %p %z") ==
        (kBase + 11 * 3600) * S);
  CHECK(su::parse_strftime("2026-325 10:00:00", "%Y-%j %T") == kBase * S);
  CHECK(su::parse_strftime("t=1795255200", "t=%s") == kBase * S);
  CHECK_FALSE(su::parse_strftime("2026-11-21", "%d.%m.%Y"));
  CHECK(su::check_strftime_format("%Y-%m-%d").empty());
  CHECK_FALSE(su::check_strftime_format("%Q").empty());
  CHECK_FALSE(su::check_strftime_format("%Y%").empty());
}

TEST_CASE("parser: detects once, caches, re-detects on a miss") {
  su::TimeParser p;
  CHECK(p.parse("2026-11-21T10:00:00Z") == kBase * S);
  CHECK(p.detected() == su::TimeFormat::Rfc3339);
  CHECK(p.parse("2026-11-21T10:00:01Z") == (kBase + 1) * S);
  CHECK(p.parse("1795255200000") == kBase * S);
  CHECK(p.detected() == su::TimeFormat::Epoch);
  CHECK(p.parse("21/Nov/2026:10:00:00 +0000") == kBase * S);
  CHECK(p.detected() == su::TimeFormat::Clf);
  CHECK_FALSE(p.parse("yesterday"));
  CHECK(p.parse(int64_t(kBase)) == kBase * S);
  CHECK(p.parse(1795255200.5) == kBase * S + S / 2);
}

TEST_CASE("parser: timestamps of the same minute as the last one (cached date and minute)") {
  su::TimeParser p;
  CHECK(p.parse("2026-11-21T10:00:00Z") == kBase * S);
  CHECK(p.parse("2026-11-21T10:00:07.5Z") == (kBase + 7) * S + S / 2);
  CHECK(p.parse("2026-11-21T10:00:07+01:00") == (kBase + 7 - 3600) * S);
  CHECK(p.parse("2026-11-21T10:00") == kBase * S);
  CHECK_FALSE(p.parse("2026-11-21T10:00:61Z"));
  CHECK_FALSE(p.parse("2026-11-21T10:00:07Zjunk"));
  CHECK(p.parse("2026-11-21T10:01:00Z") == (kBase + 60) * S);
  su::TimeParser local(*su::TimeZone::parse("-02:00"));
  CHECK(local.parse("2026-11-21 08:00:00") == kBase * S);
  CHECK(local.parse("2026-11-21 08:00:30") == (kBase + 30) * S);
}

TEST_CASE("parser: the cached-minute path accepts exactly what the full parser accepts (random and edge times)") {
  // Minutes near the ends of int64 nanoseconds (1677-09-21T00:12:43.145224192Z,
  // 2262-04-11T23:47:16.854775807Z), at the ends of 4-digit years, and ordinary ones.
  const std::vector<std::string> heads = {
      "2026-11-21T10:00", "2026-11-21 10:00", "2026-11-21t10:00", "1677-09-21T00:12", "1677-09-21T00:13",
      "1677-09-23T00:12", "2262-04-11T23:47", "2262-04-11T23:48", "2262-04-09T23:47", "0000-01-01T00:00",
      "9999-12-31T23:59", "1970-01-01T00:00", "2016-12-31T23:59", "2026-03-29T02:00", "2026-10-25T02:59"};
  const std::vector<std::string> zones = {"Z",     "z",   "",        " Z",    "+01:00", "-05:00", "+23:59", "-23:59",
                                          "+0100", "+01", " +01:00", "Zjunk", "+24:00", "-1",     "ZZ"};
  std::mt19937_64 rng(9);
  auto pick = [&](size_t n) { return size_t(rng() % n); };
  const std::vector<std::string> tz_names = {"UTC", "-02:00", "Europe/Berlin"};
  for (const auto& tz_name : tz_names) {
    const su::TimeZone tz = *su::TimeZone::parse(tz_name);
    for (int i = 0; i < 40000; ++i) {
      const std::string& head = heads[pick(heads.size())];
      su::TimeParser p(tz);
      p.parse(head + ":" + std::to_string(10 + pick(50)) + "Z");  // caches the head when in range
      std::string text = head;
      if (pick(8)) {
        text += ':';
        const int sec = pick(4) ? int(pick(61)) : int(pick(100));
        text += char('0' + sec / 10);
        text += char('0' + sec % 10);
      }
      if (pick(2)) {
        text += pick(4) ? '.' : ',';
        for (size_t d = pick(13); d > 0; --d) text += char('0' + pick(10));
      }
      text += zones[pick(zones.size())];
      const auto full = su::parse_rfc3339(text, tz);
      const auto cached = p.parse(text);
      if (p.detected() != su::TimeFormat::Rfc3339) continue;  // read as another format: not this path
      INFO(tz_name, " ", text);
      CHECK(cached == full);
    }
  }
  // Epoch text at the ends of the range: refused, never wrapped.
  CHECK(su::parse_epoch_text("-9223372036.854775808") == INT64_MIN);
  CHECK_FALSE(su::parse_epoch_text("-9223372036.854775809"));
  CHECK(su::parse_epoch_text("9223372036.854775807") == INT64_MAX);
  CHECK_FALSE(su::parse_epoch_text("9223372036.854775808"));
  CHECK(su::parse_epoch_text("-9223372036854775808") == INT64_MIN);
  // RFC 3339 takes exactly the same range.
  CHECK(su::parse_rfc3339("1677-09-21T00:12:43.145224192Z") == INT64_MIN);
  CHECK_FALSE(su::parse_rfc3339("1677-09-21T00:12:43.145224191Z"));
  CHECK(su::parse_rfc3339("2262-04-11T23:47:16.854775807Z") == INT64_MAX);
  CHECK_FALSE(su::parse_rfc3339("2262-04-11T23:47:16.854775808Z"));
  CHECK(su::parse_rfc3339(su::format_rfc3339(INT64_MIN)) == INT64_MIN);
  // Written exactly at both ends (UBSan: no overflow on the way).
  CHECK(su::format_rfc3339(INT64_MIN) == "1677-09-21T00:12:43.145224192Z");
  CHECK(su::format_rfc3339(INT64_MAX) == "2262-04-11T23:47:16.854775807Z");
  std::string epoch, epoch_ms;
  su::append_time_value(epoch, INT64_MIN, su::TimeOutput::Epoch);
  su::append_time_value(epoch_ms, INT64_MIN, su::TimeOutput::EpochMs);
  CHECK(epoch == "-9223372036.854775808");
  CHECK(epoch_ms == "-9223372036854.775808");
  CHECK_FALSE(su::parse_epoch_text("-9223372036854775809"));
}

TEST_CASE("parser: detected formats, in detection order, each recognised by its example") {
  const auto& formats = su::detected_time_formats();
  REQUIRE(formats.size() == 4);
  CHECK(formats[0].format == su::TimeFormat::Rfc3339);
  for (const auto& f : formats) {
    su::TimeParser p;
    INFO(f.example);
    CHECK(p.parse(f.example));
    CHECK(p.detected() == f.format);
  }
}

TEST_CASE("strftime: a NUL in the format does not match the end of the text (found by time_fuzz)") {
  using namespace std::string_view_literals;
  CHECK_FALSE(su::parse_strftime("\0"sv, "\0\0%s"sv));  // read past the end, then threw out_of_range
  CHECK(su::parse_strftime("\0"
                           "5"sv,
                           "\0%s"sv) == 5 * S);
}

TEST_CASE("parser: a strftime format is the only one used") {
  su::TimeParser p({}, "%d.%m.%Y %H:%M");
  CHECK(p.parse("21.11.2026 10:00") == kBase * S);
  CHECK_FALSE(p.parse("2026-11-21T10:00:00Z"));
}

TEST_CASE("rfc3339 output: fractions only when needed") {
  CHECK(su::format_rfc3339(kBase * S) == "2026-11-21T10:00:00Z");
  CHECK(su::format_rfc3339(kBase * S + 250'000'000) == "2026-11-21T10:00:00.250Z");
  CHECK(su::format_rfc3339(kBase * S + 250'000) == "2026-11-21T10:00:00.000250Z");
  CHECK(su::format_rfc3339(kBase * S + 1) == "2026-11-21T10:00:00.000000001Z");
  CHECK(su::format_rfc3339(0) == "1970-01-01T00:00:00Z");
  for (int64_t t : {kBase * S, int64_t(1709208000) * S + 123'000'000, int64_t(-86400) * S})
    CHECK(su::parse_rfc3339(su::format_rfc3339(t)) == t);
}

TEST_CASE("time values for --time-output") {
  std::string s;
  su::append_time_value(s, kBase * S, su::TimeOutput::Iso);
  CHECK(s == "\"2026-11-21T10:00:00Z\"");
  s.clear();
  su::append_time_value(s, kBase * S, su::TimeOutput::Epoch);
  CHECK(s == "1795255200");
  s.clear();
  su::append_time_value(s, kBase * S + S / 4, su::TimeOutput::Epoch);
  CHECK(s == "1795255200.25");
  s.clear();
  su::append_time_value(s, kBase * S, su::TimeOutput::EpochMs);
  CHECK(s == "1795255200000");
  s.clear();
  su::append_time_value(s, -S / 2, su::TimeOutput::Epoch);  // before 1970: sign and magnitude, reads back
  CHECK(s == "-0.5");
  CHECK(su::parse_epoch_text(s) == -S / 2);
  s.clear();
  su::append_time_value(s, -S - 250'000'000, su::TimeOutput::EpochMs);
  CHECK(s == "-1250");
}

TEST_CASE("calendar periods: saturate at the ends of int64 nanoseconds (years 1677 and 2262)") {
  for (const su::TimeZone& tz : {su::TimeZone(), zone("Europe/Berlin"), zone("-05:30")}) {
    su::CalendarPeriod late = su::calendar_period(INT64_MAX - 1, Month, 1, tz);
    CHECK(late.end == INT64_MAX);  // 2262-05-01 is beyond the range
    CHECK(late.start < INT64_MAX - 1);
    CHECK(late.start > INT64_MAX - 31 * 86400 * S);  // 1 April 2262, local midnight
    su::CalendarPeriod early = su::calendar_period(INT64_MIN, Month, 3, tz);
    CHECK(early.start == INT64_MIN);
    CHECK(early.end > INT64_MIN);
    CHECK(su::calendar_period(INT64_MAX - 1, Week, 1, tz).start < INT64_MAX - 1);
    CHECK(su::calendar_period(INT64_MIN, Day, 100000, tz).start == INT64_MIN);
  }
}
