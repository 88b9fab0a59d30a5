// Window assigners and the windowing engine: tags, close records, lateness.
#include <doctest/doctest.h>

#include <climits>
#include <string>
#include <vector>

#include "su/core/error.hpp"
#include "su/core/json_write.hpp"
#include "su/json/control.hpp"
#include "su/window/engine.hpp"
#include "su/window/window.hpp"

namespace {
constexpr int64_t S = su::kNsPerSec;
constexpr int64_t M = 60 * S;
constexpr int64_t kBase = int64_t(1795255200) * S;  // 2026-11-21T10:00:00Z

// Runs an engine writing into an in-memory buffer (no pipe, no fd).
struct Harness {
  su::RecordBuffer out;
  su::WindowEngine engine;
  explicit Harness(su::WindowOptions o) : engine(o, out) {}
  std::string text() {
    std::string s = out.buf();
    out.buf().clear();
    return s;
  }
};

su::WindowOptions opts(su::WindowKind kind, int64_t size, int64_t every = 0, int64_t gap = 0) {
  su::WindowOptions o;
  o.spec.kind = kind;
  o.spec.size = size;
  o.spec.every = every;
  o.spec.gap = gap;
  return o;
}
}  // namespace

TEST_CASE("window kinds: looked up by option, each reads its own value") {
  for (const auto& k : su::window_kinds()) {
    INFO(k.option);
    CHECK(su::find_window_kind(k.option) == &k);
    CHECK(std::string_view(k.value_name).size() > 0);
    CHECK(std::string_view(k.help).size() > 0);
  }
  CHECK(su::find_window_kind("--sliding") == nullptr);
  su::WindowSpec w;
  CHECK(su::find_window_kind("--tumbling")->read("1h30m", w) == "");
  CHECK(w.size == 5'400'000'000'000);
  CHECK(su::find_window_kind("--session")->read("30m", w) == "");
  CHECK(w.gap == 1'800'000'000'000);
  CHECK(su::find_window_kind("--count")->read("5", w) == "");
  CHECK(w.size == 5);
  CHECK(su::find_window_kind("--tumbling")->read("soon", w) ==
        "invalid size 'soon' (expected e.g. 250ms, 30s, 5m, 1h30m, 1d, 1w, 1mo)");
  CHECK(su::find_window_kind("--tumbling")->read("1mo", w).empty());  // a calendar size, placed by --tz later
  CHECK(su::find_window_kind("--session")->read("1w", w) ==
        "'1w': weeks and months are calendar sizes, for --tumbling only");
  CHECK(su::find_window_kind("--hopping")->read("0", w) == "the window size must be more than 0");
  CHECK(su::find_window_kind("--session")->read("0", w) == "the gap must be more than 0");
  CHECK(su::find_window_kind("--count")->read("0", w) == "expected a positive number of records, got '0'");
}

TEST_CASE("tumbling windows are aligned to the epoch and half-open") {
  CHECK(su::tumbling_window(kBase + 30 * S, M) == su::TimeWindow{kBase, kBase + M});
  CHECK(su::tumbling_window(kBase, M) == su::TimeWindow{kBase, kBase + M});
  CHECK(su::tumbling_window(kBase + M - 1, M) == su::TimeWindow{kBase, kBase + M});
  CHECK(su::tumbling_window(-1, M) == su::TimeWindow{-M, 0});  // before 1970
  CHECK(su::tumbling_window(kBase + 90 * M, 3600 * S)->start == kBase + 60 * M);
}

TEST_CASE("hopping windows: every window that covers the time, oldest first") {
  std::vector<su::TimeWindow> w;
  su::hopping_windows(kBase + 90 * S, 5 * M, M, w);
  REQUIRE(w.size() == 5);
  CHECK(w.front() == su::TimeWindow{kBase - 3 * M, kBase + 2 * M});
  CHECK(w.back() == su::TimeWindow{kBase + M, kBase + 6 * M});
  su::hopping_windows(kBase, 10 * M, 3 * M, w);  // size not a multiple of step
  for (const auto& x : w) CHECK((x.start <= kBase && kBase < x.end));
  CHECK(w.size() == 4);
  su::hopping_windows(kBase + 5, M, M, w);  // every == size: tumbling
  REQUIRE(w.size() == 1);
  CHECK(w[0] == su::TimeWindow{kBase, kBase + M});
}

TEST_CASE("count windows: tumbling and sliding") {
  CHECK(su::count_windows(1, 5, 5).first == 1);
  CHECK(su::count_windows(5, 5, 5).last == 1);
  CHECK(su::count_windows(6, 5, 5).first == 2);
  // size 5, slide 1: record n is in windows n .. n+4 (window k = records k-4 .. k)
  CHECK(su::count_windows(7, 5, 1).first == 7);
  CHECK(su::count_windows(7, 5, 1).last == 11);
  // size 4, slide 2: window k = records 2k-3 .. 2k
  CHECK(su::count_windows(3, 4, 2).first == 2);
  CHECK(su::count_windows(3, 4, 2).last == 3);
  CHECK(su::count_window_closing(4, 2) == 2);
  CHECK(su::count_window_closing(5, 2) == 0);
}

TEST_CASE("sessions: join, extend backwards, bridge two sessions") {
  std::vector<size_t> merged;
  std::vector<su::TimeWindow> open = {{0, 10}, {20, 30}};
  CHECK(su::session_join(open, 40, 10, merged) == su::TimeWindow{40, 50});
  CHECK(merged.empty());
  CHECK(su::session_join(open, 25, 10, merged) == su::TimeWindow{20, 35});
  CHECK(merged == std::vector<size_t>{1});
  CHECK(su::session_join(open, 15, 10, merged) == su::TimeWindow{15, 30});  // 15 s after the first one's last record
  CHECK(merged == std::vector<size_t>{1});
  std::vector<su::TimeWindow> near = {{0, 10}, {15, 25}};
  CHECK(su::session_join(near, 8, 10, merged) == su::TimeWindow{0, 25});  // bridges both
  CHECK(merged == std::vector<size_t>{0, 1});
  CHECK(su::session_join(open, -5, 10, merged) == su::TimeWindow{-5, 10});  // out of order, before the start
}

TEST_CASE("engine: tumbling tags, close after the last record, late record") {
  Harness h(opts(su::WindowKind::Tumbling, M));
  CHECK(h.engine.add(R"({"a":1})", kBase + 5 * S, "").empty());
  CHECK(h.engine.add(R"({"a":2})", kBase + 61 * S, "").empty());
  CHECK(h.text() ==
        "{\"a\":1,\"window_start\":\"2026-11-21T10:00:00Z\",\"window_end\":\"2026-11-21T10:01:00Z\"}\n"
        "{\"_control\":\"close\",\"window_start\":\"2026-11-21T10:00:00Z\",\"window_end\":\"2026-11-21T10:01:00Z\"}\n"
        "{\"a\":2,\"window_start\":\"2026-11-21T10:01:00Z\",\"window_end\":\"2026-11-21T10:02:00Z\"}\n");
  std::string late = h.engine.add(R"({"a":3})", kBase + 10 * S, "");
  CHECK(late.rfind("late: time 2026-11-21T10:00:10Z is in window [2026-11-21T10:00:00Z", 0) == 0);
  CHECK(h.text().empty());
  h.engine.close_all();
  CHECK(h.text() ==
        "{\"_control\":\"close\",\"window_start\":\"2026-11-21T10:01:00Z\",\"window_end\":\"2026-11-21T10:02:00Z\"}\n");
}

TEST_CASE("engine: --late correct passes a late record on with its closed window, then closes it again") {
  auto o = opts(su::WindowKind::Tumbling, M);
  o.correct_late = true;
  Harness h(o);
  CHECK(h.engine.add(R"({"a":1})", kBase + 5 * S, "").empty());
  CHECK(h.engine.add(R"({"a":2})", kBase + 61 * S, "").empty());
  h.text();
  CHECK(h.engine.add(R"({"a":3})", kBase + 10 * S, "").empty());
  CHECK(h.text() ==
        "{\"a\":3,\"window_start\":\"2026-11-21T10:00:00Z\",\"window_end\":\"2026-11-21T10:01:00Z\",\"_late\":true}\n"
        "{\"_control\":\"close\",\"window_start\":\"2026-11-21T10:00:00Z\",\"window_end\":\"2026-11-21T10:01:00Z\"}\n");
  CHECK(h.engine.late().count == 1);
  CHECK(su::late_summary_text(h.engine.late(), true) ==
        "1 late record passed on as a correction (largest lateness 51s); --grace 2s would have kept it");
}

TEST_CASE("engine: --late correct with hopping windows: open ones as usual, each closed one as a correction") {
  auto o = opts(su::WindowKind::Hopping, 2 * M);
  o.spec.every = M;
  o.correct_late = true;
  Harness h(o);
  CHECK(h.engine.add(R"({"a":1})", kBase + 5 * S, "").empty());
  CHECK(h.engine.add(R"({"a":2})", kBase + 125 * S, "").empty());  // closes [09:59, 10:01) and [10:00, 10:02)
  h.text();
  CHECK(h.engine.add(R"({"a":3})", kBase + 65 * S, "").empty());  // in [10:00, 10:02) closed, [10:01, 10:03) open
  const std::string t = h.text();
  CHECK(t.find("{\"a\":3,\"window_start\":\"2026-11-21T10:01:00Z\",\"window_end\":\"2026-11-21T10:03:00Z\"}\n") !=
        std::string::npos);
  CHECK(t.find("{\"a\":3,\"window_start\":\"2026-11-21T10:00:00Z\",\"window_end\":\"2026-11-21T10:02:00Z\",\"_late\":"
               "true}\n") != std::string::npos);
  CHECK(h.engine.late().count == 1);
}

TEST_CASE("engine: grace keeps a window open for out-of-order records") {
  auto o = opts(su::WindowKind::Tumbling, M);
  o.grace = 10 * S;
  Harness h(o);
  CHECK(h.engine.add(R"({"a":1})", kBase + 50 * S, "").empty());
  CHECK(h.engine.add(R"({"a":2})", kBase + 65 * S, "").empty());
  CHECK(h.engine.add(R"({"a":3})", kBase + 55 * S, "").empty());  // within grace
  CHECK(h.engine.next_close() == kBase + M + 10 * S);
  CHECK(h.engine.add(R"({"a":4})", kBase + 70 * S, "").empty());  // closes [10:00, 10:01)
  CHECK_FALSE(h.engine.add(R"({"a":5})", kBase + 59 * S, "").empty());
  std::string s = h.text();
  CHECK(s.find("\"a\":3,\"window_start\":\"2026-11-21T10:00:00Z\"") != std::string::npos);
  CHECK(s.find("close") > s.find("\"a\":3"));
  CHECK(s.find("close") < s.find("\"a\":4"));
}

TEST_CASE("engine: advancing the stream's time closes due windows (idle, wall clock)") {
  Harness h(opts(su::WindowKind::Tumbling, M));
  h.engine.add(R"({"a":1})", kBase + 5 * S, "");
  h.text();
  h.engine.advance(kBase + 59 * S);
  CHECK(h.text().empty());
  h.engine.advance(kBase + M);
  CHECK(h.text().find("\"_control\":\"close\"") != std::string::npos);
  CHECK_FALSE(h.engine.next_close());
}

TEST_CASE("engine: hopping writes a copy per window, and to the open windows only") {
  Harness h(opts(su::WindowKind::Hopping, 2 * M, M));
  h.engine.add(R"({"k":"x"})", kBase + 90 * S, "");
  std::string s = h.text();
  CHECK(s.find("\"window_start\":\"2026-11-21T10:00:00Z\",\"window_end\":\"2026-11-21T10:02:00Z\"") !=
        std::string::npos);
  CHECK(s.find("\"window_start\":\"2026-11-21T10:01:00Z\",\"window_end\":\"2026-11-21T10:03:00Z\"") !=
        std::string::npos);
  h.engine.add(R"({"k":"y"})", kBase + 150 * S, "");
  s = h.text();
  CHECK(s.find(R"({"_control":"close","window_start":"2026-11-21T10:00:00Z","window_end":"2026-11-21T10:02:00Z"})") !=
        std::string::npos);
  // A record whose older window closed but whose newer one is open goes to the open one only.
  CHECK(h.engine.add(R"({"k":"z"})", kBase + 100 * S, "").empty());
  s = h.text();
  CHECK(s.find("10:01:00Z\",\"window_end\":\"2026-11-21T10:03:00Z") != std::string::npos);
  CHECK(s.find("10:00:00Z") == std::string::npos);
}

TEST_CASE("engine: many sessions of one key in a row, closing in order") {
  Harness h(opts(su::WindowKind::Session, 0, 0, 10 * S));
  for (int i = 0; i < 50; ++i) h.engine.add("{\"i\":" + std::to_string(i) + "}", kBase + i * 20 * S, R"("k":1)");
  h.engine.close_all();
  std::string s = h.text();
  size_t closes = 0, last = 0;
  for (size_t p = s.find("_control"); p != std::string::npos; p = s.find("_control", p + 1)) ++closes, last = p;
  CHECK(closes == 50);
  CHECK(s.find("\"i\":49,") < last);
  CHECK_FALSE(h.engine.next_close());
}

TEST_CASE("engine: sessions per key are held and written when they close") {
  Harness h(opts(su::WindowKind::Session, 0, 0, 30 * S));
  h.engine.add(R"({"u":"a","n":1})", kBase, R"("u":"a")");
  h.engine.add(R"({"u":"b","n":2})", kBase + 10 * S, R"("u":"b")");
  h.engine.add(R"({"u":"a","n":3})", kBase + 20 * S, R"("u":"a")");
  CHECK(h.text().empty());  // held: their tags need the session's end
  CHECK(h.engine.buffered_bytes() > 0);
  h.engine.add(R"({"u":"c","n":4})", kBase + 45 * S, R"("u":"c")");  // closes b's session (ends 10:00:40)
  CHECK(h.text() ==
        "{\"u\":\"b\",\"n\":2,\"window_start\":\"2026-11-21T10:00:10Z\",\"window_end\":\"2026-11-21T10:00:40Z\"}\n"
        "{\"_control\":\"close\",\"window_start\":\"2026-11-21T10:00:10Z\",\"window_end\":\"2026-11-21T10:00:40Z\","
        "\"u\":\"b\"}\n");
  h.engine.close_all();
  std::string s = h.text();
  CHECK(s.find(R"({"u":"a","n":1,"window_start":"2026-11-21T10:00:00Z","window_end":"2026-11-21T10:00:50Z"})") == 0);
  CHECK(s.find(R"("n":3)") < s.find(R"("u":"a"})"));
  CHECK(s.find(R"("u":"c"})") > s.find(R"("u":"a"})"));  // closes in order of session end
  CHECK(h.engine.buffered_bytes() == 0);
}

TEST_CASE("engine: a record bridging two sessions merges them") {
  auto o = opts(su::WindowKind::Session, 0, 0, 10 * S);
  o.grace = 60 * S;
  Harness g(o);
  g.engine.add(R"({"n":1})", kBase, "");
  g.engine.add(R"({"n":2})", kBase + 15 * S, "");
  g.engine.add(R"({"n":3})", kBase + 8 * S, "");  // bridges [0,10) and [15,25)
  g.engine.close_all();
  std::string s = g.text();
  CHECK(s.find("\"window_start\":\"2026-11-21T10:00:00Z\",\"window_end\":\"2026-11-21T10:00:25Z\"") !=
        std::string::npos);
  size_t closes = 0;
  for (size_t p = s.find("_control"); p != std::string::npos; p = s.find("_control", p + 1)) ++closes;
  CHECK(closes == 1);
}

TEST_CASE("engine: --max-buffer full rejects the record that does not fit; what is held is written whole") {
  auto o = opts(su::WindowKind::Session, 0, 0, 3600 * S);
  const std::string a = R"({"t":1,"k":"a"})", b = R"({"t":2,"k":"b"})", c = R"({"t":3,"k":"c"})";
  o.max_buffer = 2 * (su::kSessionBytes + 7 + a.size() + 1);  // two sessions of keys like "k":"a"
  Harness h(o);
  CHECK(h.engine.add(a, kBase, R"("k":"a")").empty());
  CHECK(h.engine.add(b, kBase + S, R"("k":"b")").empty());
  const std::string why = h.engine.add(c, kBase + 2 * S, R"("k":"c")");
  CHECK(why.rfind("window buffer full: holding this record would take more than --max-buffer (", 0) == 0);
  CHECK(why.find("a shorter --session gap") != std::string::npos);
  CHECK(h.engine.buffered_bytes() == o.max_buffer);  // nothing of c held
  h.engine.close_all();
  const std::string out = h.text();
  CHECK(out.find(R"({"t":1,"k":"a","window_start")") == 0);
  CHECK(out.find(R"({"t":2,"k":"b","window_start")") != std::string::npos);
  CHECK(out.find(R"("k":"c")") == std::string::npos);
  CHECK(h.engine.buffered_bytes() == 0);
}

TEST_CASE("engine: --max-buffer counts sliding count windows; a full window frees its oldest record") {
  auto o = opts(su::WindowKind::Count, 2, 1);
  const std::string r = R"({"n":1})";
  o.max_buffer = su::kCountKeyBytes + 2 * (r.size() + su::kHeldRecordBytes);  // one key (""), two records
  Harness h(o);
  for (int i = 0; i < 5; ++i) CHECK(h.engine.add(r, 0, "").empty());  // steady state: one in, one out
  CHECK(h.engine.buffered_bytes() == o.max_buffer);
  CHECK(h.engine.add(R"({"n":12345})", 0, "").rfind("window buffer full", 0) == 0);      // bigger than the one it frees
  CHECK(h.engine.add(R"({"n":1})", 0, R"("k":1)").rfind("window buffer full", 0) == 0);  // a new key
}

TEST_CASE("engine: count window keys are counted; tumbling count windows hold no records") {
  auto o = opts(su::WindowKind::Count, 10, 10);
  o.max_buffer = 3 * (su::kCountKeyBytes + 2 * 5);  // three keys like "k":1
  Harness h(o);
  for (int i = 0; i < 100; ++i)
    CHECK(h.engine.add(R"({"k":1,"pad":"xxxxxxxxxxxxxxxxxxxxxxxx"})", 0, R"("k":1)").empty());
  CHECK(h.engine.buffered_bytes() == su::kCountKeyBytes + 10);  // the key only, however many records
  CHECK(h.engine.add(R"({"k":2})", 0, R"("k":2)").empty());
  CHECK(h.engine.add(R"({"k":3})", 0, R"("k":3)").empty());
  CHECK(h.engine.add(R"({"k":4})", 0, R"("k":4)").find("a smaller --count or fewer --by keys") != std::string::npos);
  h.text();
  h.engine.close_all();
  CHECK(h.text() == "{\"_control\":\"close\",\"window\":1,\"k\":2}\n{\"_control\":\"close\",\"window\":1,\"k\":3}\n");
}

TEST_CASE("engine: hopping windows are counted against --max-buffer") {
  auto o = opts(su::WindowKind::Hopping, 10 * M, M);
  o.max_buffer = 15 * su::kTimeWindowBytes;
  o.grace = 3600 * S;  // none closes
  Harness h(o);
  CHECK(h.engine.add(R"({"n":1})", kBase, "").empty());  // 10 windows
  CHECK(h.engine.buffered_bytes() == 10 * su::kTimeWindowBytes);
  CHECK(h.engine.add(R"({"n":2})", kBase + 3 * M, "").empty());                              // 3 more
  CHECK(h.engine.add(R"({"n":3})", kBase + 6 * M, "").rfind("window buffer full", 0) == 0);  // 3 more: 16
  CHECK(h.engine.buffered_bytes() == 13 * su::kTimeWindowBytes);
  h.engine.close_all();
  CHECK(h.engine.buffered_bytes() == 0);
}

TEST_CASE("hopping: more than kMostHops windows per record is refused, with the bound") {
  CHECK(su::check_hopping(M, S).empty());
  CHECK(su::check_hopping(S, M) == "--every must be more than 0 and at most the --hopping size");
  CHECK(su::check_hopping(S, 1) ==
        "--hopping 1s --every 1ns puts each record in 1000000000 windows; at most 10000 (a longer --every, or a "
        "shorter --hopping size)");
  CHECK(su::check_hopping(su::kMostHops * S, S).empty());
}

TEST_CASE("window arithmetic at the ends of int64 nanoseconds: no window rather than a wrapped one") {
  CHECK_FALSE(su::tumbling_window(INT64_MIN, M));
  CHECK_FALSE(su::tumbling_window(INT64_MAX, M));
  CHECK_FALSE(su::tumbling_window(INT64_MAX - 1, 2));  // [INT64_MAX - 1, INT64_MAX + 1)
  CHECK(su::tumbling_window(INT64_MAX - 2, 2) == su::TimeWindow{INT64_MAX - 3, INT64_MAX - 1});
  CHECK(su::tumbling_window(INT64_MIN, 2) == su::TimeWindow{INT64_MIN, INT64_MIN + 2});
  std::vector<su::TimeWindow> w;
  CHECK_FALSE(su::hopping_windows(INT64_MIN, 5 * M, M, w));
  CHECK(w.empty());
  CHECK_FALSE(su::hopping_windows(INT64_MAX, 5 * M, M, w));
  CHECK_FALSE(su::hopping_windows(INT64_MIN + 5, 10, 1, w));
  CHECK(su::hopping_windows(INT64_MIN, 1, 1, w));  // the first window of the range
  CHECK(w == std::vector<su::TimeWindow>{{INT64_MIN, INT64_MIN + 1}});
  CHECK(su::hopping_windows(INT64_MIN + 5, 3, 1, w));
  CHECK(w.size() == 3);
  CHECK(w.front() == su::TimeWindow{INT64_MIN + 3, INT64_MIN + 6});
  std::vector<size_t> merged;
  CHECK_FALSE(su::session_join({}, INT64_MAX - 5, 10, merged));
  CHECK(su::session_join({}, INT64_MAX - 10, 10, merged) == su::TimeWindow{INT64_MAX - 10, INT64_MAX});
}

TEST_CASE("engine: a time whose window does not fit is rejected with a reason, not wrapped") {
  for (auto kind : {su::WindowKind::Tumbling, su::WindowKind::Hopping, su::WindowKind::Session}) {
    Harness h(opts(kind, M, M, M));
    if (kind != su::WindowKind::Session)  // a session from INT64_MIN fits
      CHECK(h.engine.add(R"({"t":0})", INT64_MIN, "") ==
            "time 1677-09-21T00:12:43.145224192Z: its window does not fit in the range of times (int64 "
            "nanoseconds, years 1677 to 2262)");
    CHECK(h.engine.add(R"({"t":1})", INT64_MAX, "").find("does not fit") != std::string::npos);
    CHECK_FALSE(h.engine.started());  // rejected records do not move the stream's time
    CHECK(h.text().empty());
  }
  auto o = opts(su::WindowKind::Tumbling, M);
  o.grace = INT64_MAX;  // saturates: windows close only at the end
  Harness g(o);
  CHECK(g.engine.add(R"({"n":1})", INT64_MIN + M, "").empty());
  CHECK(g.engine.add(R"({"n":2})", INT64_MIN + 5 * M, "").empty());  // now - grace saturates: nothing closes
  CHECK(g.engine.add(R"({"n":3})", INT64_MIN + M, "").empty());      // not late
  g.text();
  g.engine.close_all();
  CHECK(g.text().find("1677-09-21T00:13:00Z") != std::string::npos);
  Harness f(o);
  f.engine.add(R"({"n":1})", kBase, "");
  CHECK(f.engine.next_close() == INT64_MAX);  // end + grace saturates
  CHECK(f.engine.last_close() == INT64_MAX);
}

TEST_CASE("late summary: count, largest lateness, and a round --grace that keeps them") {
  Harness h(opts(su::WindowKind::Tumbling, M));
  h.engine.add(R"({"n":1})", kBase + 70 * S, "");
  CHECK(h.engine.late().count == 0);
  CHECK(su::late_summary_text(h.engine.late()).empty());
  CHECK_FALSE(h.engine.add(R"({"n":2})", kBase + 59 * S, "").empty());  // window ended at 10:01:00
  CHECK(h.engine.late().largest == 11 * S);
  CHECK(h.engine.late().grace == 10 * S + 1);
  CHECK(su::late_summary_text(h.engine.late()) ==
        "1 late record rejected (largest lateness 11s); --grace 15s would have kept it");
  h.engine.add(R"({"n":3})", kBase + int64_t(55800) * 1'000'000, "");  // 10:00:55.8
  CHECK(su::late_summary_text(h.engine.late()) ==
        "2 late records rejected (largest lateness 14s200ms); --grace 15s would have kept them");
  su::LateSummary big{3, 40 * 3600 * S, 40 * 3600 * S};
  CHECK(su::late_summary_text(big) ==
        "3 late records rejected (largest lateness 1d16h); --grace 2d would have kept them");
  su::LateSummary tiny{1, 3, 3};
  CHECK(su::late_summary_text(tiny) == "1 late record rejected (largest lateness 3ns); --grace 5ns would have kept it");
}

TEST_CASE("engine: count windows per key, tumbling and sliding") {
  Harness h(opts(su::WindowKind::Count, 2, 2));
  h.engine.add(R"({"s":"a"})", 0, R"("s":"a")");
  h.engine.add(R"({"s":"b"})", 0, R"("s":"b")");
  h.engine.add(R"({"s":"a"})", 0, R"("s":"a")");
  CHECK(h.text() ==
        "{\"s\":\"a\",\"window\":1}\n{\"s\":\"b\",\"window\":1}\n{\"s\":\"a\",\"window\":1}\n"
        "{\"_control\":\"close\",\"window\":1,\"s\":\"a\"}\n");
  h.engine.close_all();
  CHECK(h.text() == "{\"_control\":\"close\",\"window\":1,\"s\":\"b\"}\n");

  Harness m(opts(su::WindowKind::Count, 3, 1));
  for (int i = 1; i <= 4; ++i) m.engine.add("{\"i\":" + std::to_string(i) + "}", 0, "");
  CHECK(
      m.text() ==
      "{\"i\":1,\"window\":1}\n{\"_control\":\"close\",\"window\":1}\n"
      "{\"i\":1,\"window\":2}\n{\"i\":2,\"window\":2}\n{\"_control\":\"close\",\"window\":2}\n"
      "{\"i\":1,\"window\":3}\n{\"i\":2,\"window\":3}\n{\"i\":3,\"window\":3}\n{\"_control\":\"close\",\"window\":3}\n"
      "{\"i\":2,\"window\":4}\n{\"i\":3,\"window\":4}\n{\"i\":4,\"window\":4}\n{\"_control\":\"close\",\"window\":4}"
      "\n");
  m.engine.close_all();
  CHECK(m.text().empty());  // every record closed a window: nothing pending

  Harness p(opts(su::WindowKind::Count, 4, 2));
  for (int i = 1; i <= 5; ++i) p.engine.add("{\"i\":" + std::to_string(i) + "}", 0, "");
  p.text();
  p.engine.close_all();  // window 3 = records 3..6, of which 3..5 arrived
  CHECK(p.text() ==
        "{\"i\":3,\"window\":3}\n{\"i\":4,\"window\":3}\n{\"i\":5,\"window\":3}\n"
        "{\"_control\":\"close\",\"window\":3}\n");
}

TEST_CASE("engine: no close records when control records are off; epoch tags") {
  auto o = opts(su::WindowKind::Tumbling, M);
  o.control = false;
  o.time_output = su::TimeOutput::EpochMs;
  Harness h(o);
  h.engine.add(R"({"a":1})", kBase + S, "");
  h.engine.close_all();
  CHECK(h.text() == "{\"a\":1,\"window_start\":1795255200000,\"window_end\":1795255260000}\n");
}

// ---- calendar windows (--tumbling 1d, 1w, 1mo with --tz) ----

namespace {
su::TimeZone zone(std::string_view name) {
  auto tz = su::TimeZone::parse(name);
  REQUIRE_MESSAGE(tz, "zone ", std::string(name), " (tzdata installed?)");
  return *tz;
}
int64_t at(std::string_view rfc3339) {
  return *su::parse_rfc3339(rfc3339);
}
su::WindowOptions tumbling(std::string_view size, std::string_view tz) {
  su::WindowOptions o;
  o.spec.kind = su::WindowKind::Tumbling;
  su::set_tumbling_size(o.spec, size, zone(tz));
  return o;
}
std::string tags(std::string_view start, std::string_view end) {
  return "\"window_start\":\"" + std::string(start) + "\",\"window_end\":\"" + std::string(end) + "\"";
}
}  // namespace

TEST_CASE("window sizes: Nd, Nw, Nmo alone are calendar sizes; other durations fixed") {
  auto d = su::parse_window_size("1d");
  REQUIRE(d);
  CHECK((d->unit == su::CalendarUnit::Day && d->count == 1));
  CHECK(su::parse_window_size("2w")->unit == su::CalendarUnit::Week);
  CHECK(su::parse_window_size("3mo")->unit == su::CalendarUnit::Month);
  CHECK(su::parse_window_size("3mo")->count == 3);
  CHECK(su::parse_window_size("24h")->unit == su::CalendarUnit::None);
  CHECK(su::parse_window_size("24h")->ns == 86400 * S);
  CHECK(su::parse_window_size("1d12h")->ns == 36 * 3600 * S);
  CHECK(su::parse_window_size("0d")->count == 0);  // the caller says "more than 0"
  CHECK_FALSE(su::parse_window_size("mo"));
  CHECK_FALSE(su::parse_window_size("1x"));
  CHECK_FALSE(su::parse_window_size("1w2d"));
  CHECK_FALSE(su::parse_window_size("100001d"));
}

TEST_CASE("window sizes: UTC days stay fixed lengths; zones make them calendar days") {
  su::WindowSpec w;
  su::set_tumbling_size(w, "1d", su::TimeZone());
  CHECK((w.calendar == su::CalendarUnit::None && w.size == 86400 * S));  // the fast path, as before
  su::set_tumbling_size(w, "2d", zone("+00:00"));
  CHECK((w.calendar == su::CalendarUnit::None && w.size == 2 * 86400 * S));
  su::set_tumbling_size(w, "1w", su::TimeZone());
  CHECK((w.calendar == su::CalendarUnit::Week && w.size == 1));
  su::set_tumbling_size(w, "1d", zone("Europe/Berlin"));
  CHECK((w.calendar == su::CalendarUnit::Day && w.size == 1));
  su::set_tumbling_size(w, "90m", zone("Europe/Berlin"));  // shorter than a day: epoch-aligned in UTC
  CHECK((w.calendar == su::CalendarUnit::None && w.size == 90 * M));
  CHECK_THROWS_AS(su::set_tumbling_size(w, "1d12h", zone("Europe/Berlin")), su::UsageError);
  CHECK_THROWS_AS(su::set_tumbling_size(w, "soon", su::TimeZone()), su::UsageError);
  CHECK(su::fixed_window_size_arg("--hopping", "1d", su::TimeZone()) == 86400 * S);
  CHECK(su::fixed_window_size_arg("--hopping", "24h", zone("Europe/Berlin")) == 86400 * S);
  CHECK_THROWS_AS(su::fixed_window_size_arg("--hopping", "1w", su::TimeZone()), su::UsageError);
  CHECK_THROWS_AS(su::fixed_window_size_arg("--every", "1mo", su::TimeZone()), su::UsageError);
  CHECK_THROWS_AS(su::fixed_window_size_arg("--hopping", "1d", zone("Europe/Berlin")), su::UsageError);
}

TEST_CASE("engine: Berlin days of 23 and 25 hours, tags in UTC, close after each") {
  Harness h(tumbling("1d", "Europe/Berlin"));
  CHECK(h.engine.add(R"({"n":1})", at("2026-03-28T22:59:59Z"), "").empty());
  CHECK(h.engine.add(R"({"n":2})", at("2026-03-28T23:00:00Z"), "").empty());  // local midnight
  CHECK(h.engine.add(R"({"n":3})", at("2026-03-29T21:59:59Z"), "").empty());  // 23 h later, same day
  CHECK(h.engine.add(R"({"n":4})", at("2026-03-29T22:00:00Z"), "").empty());
  CHECK(h.text() == "{\"n\":1," + tags("2026-03-27T23:00:00Z", "2026-03-28T23:00:00Z") + "}\n" +
                        "{\"_control\":\"close\"," + tags("2026-03-27T23:00:00Z", "2026-03-28T23:00:00Z") + "}\n" +
                        "{\"n\":2," + tags("2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z") + "}\n" + "{\"n\":3," +
                        tags("2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z") + "}\n" + "{\"_control\":\"close\"," +
                        tags("2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z") + "}\n" + "{\"n\":4," +
                        tags("2026-03-29T22:00:00Z", "2026-03-30T22:00:00Z") + "}\n");
  Harness f(tumbling("1d", "Europe/Berlin"));
  f.engine.add(R"({"n":5})", at("2026-10-25T22:30:00Z"), "");  // 23:30 CET, 25 h after the day began
  f.engine.close_all();
  CHECK(f.text() == "{\"n\":5," + tags("2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z") + "}\n" +
                        "{\"_control\":\"close\"," + tags("2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z") + "}\n");
}

TEST_CASE("engine: calendar windows keep grace, lateness and idle progress") {
  auto o = tumbling("1d", "America/New_York");
  o.grace = 3600 * S;
  Harness h(o);
  CHECK(h.engine.add(R"({"n":1})", at("2026-03-08T12:00:00Z"), "").empty());
  CHECK(h.engine.next_close() == at("2026-03-09T05:00:00Z"));                 // end (04:00Z, a 23 h day) + grace
  CHECK(h.engine.add(R"({"n":2})", at("2026-03-09T04:30:00Z"), "").empty());  // next day, within grace
  CHECK(h.engine.add(R"({"n":3})", at("2026-03-09T03:59:00Z"), "").empty());  // still open
  CHECK(h.engine.add(R"({"n":4})", at("2026-03-09T05:00:00Z"), "").empty());  // closes 03-08
  std::string late = h.engine.add(R"({"n":5})", at("2026-03-08T23:00:00Z"), "");
  CHECK(late ==
        "late: time 2026-03-08T23:00:00Z is in window [2026-03-08T05:00:00Z, 2026-03-09T04:00:00Z), "
        "closed at stream time 2026-03-09T05:00:00Z (grace 1h)");
  std::string s = h.text();
  CHECK(s.find("{\"n\":3," + tags("2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z")) != std::string::npos);
  CHECK(s.find("_control") > s.find("\"n\":3"));
  CHECK(s.find("_control") < s.find("\"n\":4"));
  // Idle input: the stream's time moves on past the last open window's end.
  CHECK(h.engine.last_close() == at("2026-03-10T05:00:00Z"));
  h.engine.advance(*h.engine.last_close());
  CHECK(h.text() == "{\"_control\":\"close\"," + tags("2026-03-09T04:00:00Z", "2026-03-10T04:00:00Z") + "}\n");
  CHECK_FALSE(h.engine.next_close());
}

TEST_CASE("engine: weeks from Monday and months from the 1st, across a year end") {
  Harness w(tumbling("1w", "UTC"));
  w.engine.add(R"({"n":1})", at("2026-12-31T12:00:00Z"), "");
  w.engine.add(R"({"n":2})", at("2027-01-04T00:00:00Z"), "");
  std::string s = w.text();
  CHECK(s.find("{\"n\":1," + tags("2026-12-28T00:00:00Z", "2027-01-04T00:00:00Z")) == 0);
  CHECK(s.find("{\"n\":2," + tags("2027-01-04T00:00:00Z", "2027-01-11T00:00:00Z")) != std::string::npos);
  Harness m(tumbling("1mo", "Asia/Kolkata"));
  m.engine.add(R"({"n":1})", at("2028-02-29T18:29:59Z"), "");  // 23:59:59 on a leap day in India
  m.engine.add(R"({"n":2})", at("2028-02-29T18:30:00Z"), "");  // March 1st there
  s = m.text();
  CHECK(s.find("{\"n\":1," + tags("2028-01-31T18:30:00Z", "2028-02-29T18:30:00Z")) == 0);
  CHECK(s.find("{\"n\":2," + tags("2028-02-29T18:30:00Z", "2028-03-31T18:30:00Z")) != std::string::npos);
}

TEST_CASE("checkpoints: the oldest record an open window holds, tumbling, sessions and count windows") {
  Harness t(opts(su::WindowKind::Tumbling, M));
  CHECK(t.engine.oldest_held() == UINT64_MAX);
  CHECK(!t.engine.watermark());
  CHECK(t.engine.add(R"({"a":1})", kBase + 10 * S, "").empty());  // record 1: [10:00, 10:01)
  CHECK(t.engine.add(R"({"a":2})", kBase + 20 * S, "").empty());  // 2
  CHECK(t.engine.oldest_held() == 1);
  CHECK(t.engine.add(R"({"a":3})", kBase + M + 5 * S, "").empty());  // 3 closes the first window
  CHECK(t.engine.closes() == 1);
  CHECK(t.engine.oldest_held() == 3);
  CHECK(*t.engine.watermark() == kBase + M + 5 * S);
  t.engine.close_all();
  CHECK(t.engine.oldest_held() == UINT64_MAX);

  Harness s(opts(su::WindowKind::Session, 0, 0, 10 * S));
  CHECK(s.engine.add(R"({"k":"a"})", kBase, "\"k\":\"a\"").empty());           // 1: a's session
  CHECK(s.engine.add(R"({"k":"b"})", kBase + S, "\"k\":\"b\"").empty());       // 2: b's
  CHECK(s.engine.add(R"({"k":"b"})", kBase + 20 * S, "\"k\":\"b\"").empty());  // 3: closes a's and b's first
  CHECK(s.engine.oldest_held() == 3);

  Harness c(opts(su::WindowKind::Count, 2, 2));
  CHECK(c.engine.add(R"({"x":1})", 0, "").empty());
  CHECK(c.engine.oldest_held() == 1);
  CHECK(c.engine.add(R"({"x":2})", 0, "").empty());  // window 1 complete
  CHECK(c.engine.oldest_held() == UINT64_MAX);
  CHECK(c.engine.add(R"({"x":3})", 0, "").empty());
  CHECK(c.engine.oldest_held() == 3);
}

TEST_CASE(
    "resume: records of windows final before the checkpoint are skipped, later ones windowed, earlier ones late") {
  Harness t(opts(su::WindowKind::Tumbling, M));
  // Resumed at a checkpoint read at 10:00:30 and forwarded once 10:02 was final.
  t.engine.resume(kBase + 30 * S, kBase + 2 * M);
  CHECK(t.engine.add(R"({"a":1})", kBase + 40 * S, "").empty());      // [10:00, 10:01): stored already
  CHECK(t.engine.add(R"({"a":2})", kBase + M + 10 * S, "").empty());  // [10:01, 10:02): stored already
  CHECK(t.engine.add(R"({"a":3})", kBase + 2 * M + 1, "").empty());   // [10:02, 10:03): new
  CHECK(t.engine.replayed() == 2);
  CHECK(t.engine.add(R"({"a":4})", kBase + 10 * S, "").rfind("late: ", 0) == 0);  // late then, late now
  CHECK(*t.engine.final_watermark() == kBase + 2 * M + 1);  // the stream has gone past the resumed one
  t.engine.close_all();
  CHECK(t.text() ==
        "{\"a\":3,\"window_start\":\"2026-11-21T10:02:00Z\",\"window_end\":\"2026-11-21T10:03:00Z\"}\n"
        "{\"_control\":\"close\",\"window_start\":\"2026-11-21T10:02:00Z\",\"window_end\":\"2026-11-21T10:03:00Z\"}\n");
}

namespace {
// A sink that writes what it is given as the engine writes text: the two
// must agree, record for record and close for close.
struct TextSink : su::WindowSink {
  std::string text;
  int records = 0, closes = 0, late = 0;
  void record(std::string_view raw, std::string_view tags, bool is_late) override {
    std::string members(tags);
    if (is_late) {
      members.append(",");
      su::append_json_string(members, su::control::kLateField);
      members.append(":true");
      ++late;
    }
    su::append_members_to_object(text, raw, members);
    text.push_back('\n');
    ++records;
  }
  void close(std::string_view tags, std::string_view key) override {
    su::control::append_close(text, tags, key);
    ++closes;
  }
};
}  // namespace

TEST_CASE("engine: a sink gets what the text output holds, on every kind") {
  struct Case {
    const char* name;
    su::WindowOptions o;
  };
  std::vector<Case> cases = {{"tumbling", opts(su::WindowKind::Tumbling, M)},
                             {"hopping", opts(su::WindowKind::Hopping, 2 * M, M)},
                             {"session", opts(su::WindowKind::Session, 0, 0, 20 * S)},
                             {"count", opts(su::WindowKind::Count, 3, 3)},
                             {"count sliding", opts(su::WindowKind::Count, 3, 2)}};
  cases.push_back({"tumbling, corrections", opts(su::WindowKind::Tumbling, M)});
  cases.back().o.correct_late = true;
  cases.push_back({"hopping, grace", opts(su::WindowKind::Hopping, 2 * M, M)});
  cases.back().o.grace = 30 * S;
  const int64_t times[] = {0, 10, 70, 65, 130, 20, 200, 190, 400, 5};  // seconds; some late
  for (const auto& c : cases) {
    INFO(c.name);
    Harness h(c.o);
    TextSink sink;
    su::WindowEngine fused(c.o, sink);
    for (size_t i = 0; i < std::size(times); ++i) {
      std::string raw = "{\"i\":" + std::to_string(i) + "}";
      std::string key = i % 2 ? "\"k\":\"a\"" : "\"k\":\"b\"";
      CHECK(h.engine.add(raw, kBase + times[i] * S, key) == fused.add(raw, kBase + times[i] * S, key));
    }
    h.engine.close_all();
    fused.close_all();
    CHECK(sink.text == h.text());
    CHECK(sink.records > 0);
    CHECK(sink.closes > 0);
    CHECK(fused.late().count == h.engine.late().count);
    if (c.o.correct_late) CHECK(sink.late > 0);
  }
}
