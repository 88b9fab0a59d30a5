// The line formats of stream-parse: logfmt, regex, clf/combined, syslog, and
// the auto-detection order of the format table.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "su/core/error.hpp"
#include "su/formats/detect.hpp"
#include "su/formats/format_table.hpp"
#include "su/formats/line_format.hpp"

namespace {

// Renders parsed fields as `name=value ...`: "text" for a string, text for an
// inferred value, #text for raw JSON, null for null.
std::string show(const std::vector<su::ParsedField>& fields) {
  std::string s;
  for (const auto& f : fields) {
    if (!s.empty()) s += ' ';
    s += std::string(f.name) + '=';
    if (f.null)
      s += "null";
    else if (f.raw)
      s += '#' + std::string(f.text);
    else if (!f.infer)
      s += '"' + std::string(f.text) + '"';
    else
      s += std::string(f.text);
  }
  return s;
}

struct Run {
  std::string reason, fields;
};

Run parse(const char* format, std::string_view line, const std::string& arg = "") {
  const su::FormatInfo* info = su::find_format(format);
  REQUIRE(info != nullptr);
  REQUIRE(bool(info->make));
  auto p = info->make(arg);
  std::vector<su::ParsedField> out;
  Run r;
  r.reason = p->parse(line, out);
  if (r.reason.empty()) r.fields = show(out);
  return r;
}

std::string fields(const char* format, std::string_view line, const std::string& arg = "") {
  Run r = parse(format, line, arg);
  CHECK_MESSAGE(r.reason.empty(), r.reason);
  return r.fields;
}

std::string reason(const char* format, std::string_view line, const std::string& arg = "") {
  Run r = parse(format, line, arg);
  CHECK_MESSAGE(!r.reason.empty(), "parsed: " << r.fields);
  return r.reason;
}

// The format --format auto picks for these first lines, or "error: ...".
std::string detected(std::vector<std::string_view> lines, su::DetectHints hints = {}) {
  su::Detection d = su::detect_format(lines, hints);
  return d.format ? std::string(d.format->name) : "error: " + d.error;
}
std::string sniffed(std::string_view line) {
  std::string d = detected({line});
  return d.substr(0, 6) == "error:" ? "error" : d;
}

}  // namespace

TEST_CASE("logfmt: quoted values are strings, unquoted ones are inferred") {
  CHECK(fields("logfmt", R"(level=info msg="hello \"you\"" took=1.5 n=007 code="42")") ==
        R"(level=info msg="hello "you"" took=1.5 n=007 code="42")");
  CHECK(fields("logfmt", "a=1\tb=x") == "a=1 b=x");
  CHECK(fields("logfmt", "  a=1   b=2  ") == "a=1 b=2");
}

TEST_CASE("logfmt: a bare key is true, true/false are booleans, key= is null") {
  CHECK(fields("logfmt", "debug a=1") == "debug=#true a=1");
  CHECK(fields("logfmt", "ok=true bad=false s=\"true\"") == "ok=#true bad=#false s=\"true\"");
  CHECK(fields("logfmt", "e= f=\"\"") == "e=null f=\"\"");
}

TEST_CASE("logfmt: escapes in quoted values") {
  CHECK(fields("logfmt", R"(m="a\\b\nc\td\/\u00e9\ud83d\ude00\q")") == "m=\"a\\b\nc\td/\xC3\xA9\xF0\x9F\x98\x80\\q\"");
  // Several escaped values in one line: each view stays valid.
  CHECK(fields("logfmt", R"(a="x\"1" b="y\"2" c="z\"3")") == R"(a="x"1" b="y"2" c="z"3")");
}

TEST_CASE("logfmt: '=' and quotes inside unquoted values are kept") {
  CHECK(fields("logfmt", "url=/a?b=c d=x\"y") == "url=/a?b=c d=x\"y");
}

TEST_CASE("logfmt: a repeated key takes the last value at the first position") {
  CHECK(fields("logfmt", "a=1 b=2 a=3") == "a=3 b=2");
}

TEST_CASE("logfmt: rejects") {
  CHECK(reason("logfmt", "=x") == "logfmt: '=' without a key at column 1");
  CHECK(reason("logfmt", "a=1 =x") == "logfmt: '=' without a key at column 5");
  CHECK(reason("logfmt", "a=\"open") == "logfmt: unterminated quoted value of 'a'");
  CHECK(reason("logfmt", "a=\"x\\\"") == "logfmt: unterminated quoted value of 'a'");
  CHECK(reason("logfmt", "a=\"x\"y") == "logfmt: text after the closing quote of 'a' at column 6");
  CHECK(reason("logfmt", "\"a\"=1") == "logfmt: quote in a key at column 1");
}

TEST_CASE("line: the whole line is the string field 'line'") {
  CHECK(fields("line", "INFO 12ms started a=1") == "line=\"INFO 12ms started a=1\"");
  CHECK(fields("line", "") == "line=\"\"");
}

TEST_CASE("regex: named groups in pattern order, unmatched groups are null") {
  const std::string re = R"((?P<method>[A-Z]+) (?<path>\S+)(?: (?P<status>\d+))?(x(?P<never>y))?)";
  CHECK(fields("regex", "GET /a 200", re) == "method=GET path=/a status=200 never=null");
  CHECK(fields("regex", "GET /a", re) == "method=GET path=/a status=null never=null");
  // Matches anywhere; anchors are the user's to write.
  CHECK(fields("regex", "xx POST /b 201 yy", re) == "method=POST path=/b status=201 never=null");
  CHECK(reason("regex", "xx POST /b", "^(?P<m>[A-Z]+)") == "does not match --regex");
  // An empty group that took part is "" (not null).
  CHECK(fields("regex", "k=", "k=(?P<v>.*)") == "v=");
  // Unnamed groups are not written; [(?<] in a class is not a group.
  CHECK(fields("regex", "a(?<b", R"((a)(?P<rest>[(?<]+)b)") == "rest=(?<");
}

TEST_CASE("regex: bad patterns are usage errors") {
  const su::FormatInfo* info = su::find_format("regex");
  REQUIRE(info);
  CHECK_THROWS_AS(info->make("(unclosed"), su::UsageError);
  CHECK_THROWS_WITH(info->make("(unclosed"), doctest::Contains("missing )"));
  CHECK_THROWS_WITH(info->make("(\\d+) (\\w+)"), doctest::Contains("no named group"));
  CHECK_THROWS_WITH(info->make("(?P<a>x)(?P<a>y)"), doctest::Contains("duplicate"));
}

TEST_CASE("combined: a normal line") {
  CHECK(
      fields(
          "combined",
          R"(10.0.0.1 - frank [21/Nov/2026:10:00:00 +0000] "GET /a?b=1 HTTP/1.1" 200 512 "http://x/" "curl/8.5.0")") ==
      R"(host="10.0.0.1" ident=null user="frank" time="21/Nov/2026:10:00:00 +0000" method="GET" path="/a?b=1" )"
      R"(protocol="HTTP/1.1" status=200 bytes=512 referer="http://x/" agent="curl/8.5.0")");
}

TEST_CASE("combined: '-' is null, quoted or not") {
  CHECK(fields("combined", R"(::1 - - [21/Nov/2026:10:00:00 +0000] "GET / HTTP/1.0" 304 - "-" "-")") ==
        R"(host="::1" ident=null user=null time="21/Nov/2026:10:00:00 +0000" method="GET" path="/" )"
        R"(protocol="HTTP/1.0" status=304 bytes=null referer=null agent=null)");
}

TEST_CASE("combined: escaped quotes in the request and the agent") {
  CHECK(fields("combined", R"(h - - [t] "GET /a\"b HTTP/1.1" 200 1 "-" "Mozilla \"X\" \\ y")") ==
        R"(host="h" ident=null user=null time="t" method="GET" path="/a"b" protocol="HTTP/1.1" status=200 )"
        R"(bytes=1 referer=null agent="Mozilla "X" \ y")");
  // nginx writes \x22; it is kept as written.
  CHECK(fields("combined", R"(h - - [t] "GET / HTTP/1.1" 200 1 "-" "a\x22b")").find(R"(agent="a\x22b")") !=
        std::string::npos);
}

TEST_CASE("combined: odd request lines") {
  const char* pre = "h - - [t] ";
  const char* post = " 400 0 \"-\" \"-\"";
  auto req = [&](const char* r) { return fields("combined", std::string(pre) + r + post); };
  CHECK(req(R"("GET /old")").find(R"(method="GET" path="/old" protocol=null)") != std::string::npos);
  CHECK(req(R"("GET /a b HTTP/1.1")").find(R"(path="/a b" protocol="HTTP/1.1")") != std::string::npos);
  CHECK(req(R"("-")").find("method=null path=null protocol=null status") != std::string::npos);
  // A request that is not METHOD PATH: three nulls and the raw text at the end.
  std::string tls = req(R"("\x16\x03\x01\x00\xA5")");
  CHECK(tls.find("method=null path=null protocol=null") != std::string::npos);
  CHECK(tls.substr(tls.size() - 30) == R"(request="\x16\x03\x01\x00\xA5")");
  CHECK(req(R"("")").find(R"(request="")") != std::string::npos);
}

TEST_CASE("combined: text after the agent goes to extra") {
  std::string r = fields("combined", R"(h - - [t] "GET / HTTP/1.1" 200 1 "-" "ua" "10.1.1.1, 10.2.2.2" 0.003)");
  CHECK(r.substr(r.find("agent=")) == R"(agent="ua" extra=""10.1.1.1, 10.2.2.2" 0.003")");
}

TEST_CASE("clf: the common log format, with and without trailing text") {
  CHECK(fields(
            "clf",
            R"(127.0.0.1 user-identifier frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326)") ==
        R"(host="127.0.0.1" ident="user-identifier" user="frank" time="10/Oct/2000:13:55:36 -0700" method="GET" )"
        R"(path="/apache_pb.gif" protocol="HTTP/1.0" status=200 bytes=2326)");
  std::string r = fields("clf", R"(h - - [t] "GET / HTTP/1.1" 200 1 "-" "ua")");
  CHECK(r.substr(r.find("bytes=")) == R"(bytes=1 extra=""-" "ua"")");
}

TEST_CASE("access logs: rejects name what is missing") {
  CHECK(reason("clf", "hello") == "clf: expected the ident field at column 6");
  CHECK(reason("clf", "h - - 21/Nov/2026 \"GET /\" 200 1") == "clf: expected [time] at column 7");
  CHECK(reason("clf", "h - - [t \"GET /\" 200 1") == "clf: expected [time] at column 7");
  CHECK(reason("clf", "h - - [t] \"GET / 200 1") == "clf: expected the \"request\" at column 11");
  CHECK(reason("clf", "h - - [t] \"GET /\" 200") == "clf: expected the byte count at column 22");
  CHECK(reason("combined", "h - - [t] \"GET /\" 200 1") == "combined: expected the \"referer\" at column 24");
  CHECK(reason("combined", "h - - [t] \"GET /\" 200 1 \"-\" \"ua") ==
        "combined: expected the \"user agent\" at column 29");
}

TEST_CASE("syslog: RFC 3164 with <PRI>") {
  CHECK(fields("syslog", "<34>Oct 11 22:14:15 mymachine su[123]: 'su root' failed for lonvick on /dev/pts/8") ==
        R"(facility=4 severity=2 time="Oct 11 22:14:15" host="mymachine" app="su" pid=123 )"
        R"(message="'su root' failed for lonvick on /dev/pts/8")");
  CHECK(fields("syslog", "<13>Feb  5 17:32:18 10.0.0.99 Use the BFG!") ==
        R"(facility=1 severity=5 time="Feb  5 17:32:18" host="10.0.0.99" app=null pid=null message="Use the BFG!")");
}

TEST_CASE("syslog: file lines without <PRI>") {
  CHECK(fields("syslog", "Nov 21 10:00:00 web1 kernel: [ 0.000] Linux version") ==
        R"(time="Nov 21 10:00:00" host="web1" app="kernel" pid=null message="[ 0.000] Linux version")");
  CHECK(fields("syslog", "2026-11-21T10:00:00.123456+01:00 web1 systemd[1]: Started x.") ==
        R"(time="2026-11-21T10:00:00.123456+01:00" host="web1" app="systemd" pid=1 message="Started x.")");
  CHECK(fields("syslog", "Nov 21 10:00:00.250 web1 postfix/smtpd[77] connect from x") ==
        R"(time="Nov 21 10:00:00.250" host="web1" app="postfix/smtpd" pid=77 message="connect from x")");
  // A colon later in the message is not a tag; an empty message is "".
  CHECK(fields("syslog", "Nov 21 10:00:00 web1 see http://x") ==
        R"(time="Nov 21 10:00:00" host="web1" app=null pid=null message="see http://x")");
  CHECK(fields("syslog", "Nov 21 10:00:00 web1 app:") ==
        R"(time="Nov 21 10:00:00" host="web1" app="app" pid=null message="")");
}

TEST_CASE("syslog: RFC 5424") {
  CHECK(fields("syslog",
               "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
               "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"] \xEF\xBB\xBF"
               "An application event log entry...") ==
        R"(facility=20 severity=5 version=1 time="2003-10-11T22:14:15.003Z" host="mymachine.example.com" )"
        R"(app="evntslog" pid=null msgid="ID47" )"
        R"(structured_data="[exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"]" )"
        R"(message="An application event log entry...")");
  CHECK(fields("syslog", "<34>1 2003-10-11T22:14:15.003Z host su 77 - - msg") ==
        R"(facility=4 severity=2 version=1 time="2003-10-11T22:14:15.003Z" host="host" app="su" pid=77 )"
        R"(msgid=null structured_data=null message="msg")");
  // Several SD elements, an escaped ] and quote inside a value, no message.
  CHECK(fields("syslog", R"(<0>1 - - - - - [a x="1\]\"2"][b@1 y="]"])") ==
        R"(facility=0 severity=0 version=1 time=null host=null app=null pid=null msgid=null )"
        R"(structured_data="[a x="1\]\"2"][b@1 y="]"]" message=null)");
}

TEST_CASE("syslog: rejects") {
  CHECK(reason("syslog", "<192>Oct 11 22:14:15 h a: m") == "syslog: bad priority at column 1 (expected <0> to <191>)");
  CHECK(reason("syslog", "<3Oct 11 22:14:15 h a: m") == "syslog: bad priority at column 1 (expected <0> to <191>)");
  CHECK(reason("syslog", "hello world") == "syslog: expected a time ('Oct 11 22:14:15' or RFC 3339) at column 1");
  CHECK(reason("syslog", "Oct 11 22:14") == "syslog: expected a time ('Oct 11 22:14:15' or RFC 3339) at column 8");
  CHECK(reason("syslog", "Oct 11 22:14:15") == "syslog: expected the host at column 16");
  CHECK(reason("syslog", "<1>1 2003-10-11T22:14:15Z h") == "syslog: expected app at column 28");
  CHECK(reason("syslog", "<1>1 - h a p m [x y=\"1\"") == "syslog: unterminated structured data starting at column 16");
  CHECK(reason("syslog", "<1>1 - h a p m [x]msg") == "syslog: expected a space after the structured data at column 19");
}

TEST_CASE("auto-detection: ndjson, combined before clf, then syslog, logfmt, tsv, csv") {
  CHECK(sniffed(R"({"a":1})") == "ndjson");
  CHECK(sniffed(" \t{\"a\":1}") == "ndjson");
  CHECK(sniffed("\xEF\xBB\xBF{\"a\":1}\r") == "ndjson");
  CHECK(sniffed(R"(1.2.3.4 - - [21/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "ua")") == "combined");
  CHECK(sniffed(R"(1.2.3.4 - - [21/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1)") == "clf");
  CHECK(sniffed("<34>Oct 11 22:14:15 mymachine su: x") == "syslog");
  CHECK(sniffed("Oct 11 22:14:15 mymachine su[1]: x") == "syslog");
  CHECK(sniffed("<165>1 2003-10-11T22:14:15.003Z h app - - - msg") == "syslog");
  CHECK(sniffed("level=info msg=\"started\" port=8080") == "logfmt");
  CHECK(sniffed("ts=1 msg=x debug") == "logfmt");
  CHECK(sniffed("a\tb\tc") == "tsv");
  CHECK(sniffed("a\tb,c") == "csv");  // a comma wins over tabs
  CHECK(sniffed("time,sensor,temperature") == "csv");
  CHECK(sniffed("a=1,b=2") == "csv");
  CHECK(sniffed("1,2,3") == "csv");
}

TEST_CASE("auto-detection: text that fits no format is an error naming --format") {
  CHECK(sniffed("ts=1 debug") == "error");  // as many bare words as pairs, one column
  CHECK(sniffed("hello world from x=1") == "error");
  CHECK(sniffed("Oct 11 22:14:15 mymachine plain text") == "error");
  CHECK(detected({"INFO 12ms started", "WARN 3ms slow"}) ==
        "error: cannot tell the input format from its first 2 lines (the first: 'INFO 12ms started'): name it with "
        "--format "
        "(ndjson, combined, clf, syslog, logfmt, tsv, csv, regex, line); --format line takes each line whole, "
        "--regex PATTERN any other text");
  CHECK(detected({"one column"}).find("from its first line 'one column'") != std::string::npos);
  std::string long_line(100, 'x');
  CHECK(detected({long_line}).find("'" + std::string(60, 'x') + "...'") != std::string::npos);
  // Commas by chance: the records do not have the header's number of fields.
  CHECK(sniffed("INFO started, pid 5") == "csv");  // one line: a header of two fields
  CHECK(detected({"INFO started, pid 5", "WARN disk full", "INFO done"}).substr(0, 6) == "error:");
}

TEST_CASE("auto-detection: a JSON array or JSON over several lines points to jq") {
  CHECK(detected({R"([{"a":1},{"a":2}])"}) ==
        "error: the input is a JSON array, not NDJSON (one object per line): convert it with jq -c '.[]' "
        "(... | jq -c '.[]' | stream-parse)");
  CHECK(detected({"[", R"(  {"a": 1},)", "]"}).find("jq -c '.[]'") != std::string::npos);
  CHECK(detected({"{", R"(  "a": 1)", "}"}) ==
        "error: the input looks like JSON spread over several lines, not NDJSON (one object per line): compact it "
        "with jq -c . (... | jq -c . | stream-parse)");
}

TEST_CASE("auto-detection: the first line and more than half of the lines must fit") {
  CHECK(detected({"a=1 b=2", "a=3 b=4", "a=5 b=6", "x", "half a line"}) == "logfmt");
  CHECK(detected({"level=info n=1", "level=warn msg=\"open", "level=info n=2"}) == "logfmt");
  CHECK(detected({"a=1 b=2", "a=3 b=4", "x", "y"}).substr(0, 6) == "error:");
  CHECK(detected({"garbage", "a=1 b=2", "a=3 b=4", "a=5 b=6", "a=7 b=8"}).substr(0, 6) == "error:");
  CHECK(detected({"a,b,c", "1,2,3", "4,5", "6,7,8,9", "10,11,12"}) == "csv");  // ragged rows: rejected later
  CHECK(detected({"a,b", "1,2", "3", "5"}).substr(0, 6) == "error:");
}

TEST_CASE("auto-detection: CSV records may hold newlines in quotes") {
  CHECK(detected({"id,note", "1,\"two", "lines\"", "2,x"}) == "csv");
  CHECK(detected({"id,note", "1,\"open"}) == "csv");  // an incomplete last record is no evidence
  CHECK(detected({"a\tb", "1\t2", "3\t4"}) == "tsv");
}

TEST_CASE("auto-detection: CSV options (--delimiter, --no-header, --columns) mean CSV or TSV") {
  su::DetectHints h;
  h.csv_options = true;
  CHECK(detected({"just text"}, h) == "csv");
  CHECK(detected({"a\tb"}, h) == "tsv");
  CHECK(detected({R"({"a":1})"}, h) == "csv");
  h.delimiter = ';';
  CHECK(detected({"a;b", "1;2"}, h) == "csv");
  h.delimiter = '\t';
  CHECK(detected({"a,b\tc"}, h) == "tsv");
}

TEST_CASE("the format table: names are unique, auto and regex are never detected, every line format builds") {
  std::vector<std::string> names;
  for (const auto& f : su::formats()) {
    INFO(f.name);
    CHECK(std::find(names.begin(), names.end(), f.name) == names.end());
    names.push_back(f.name);
    CHECK(std::string_view(f.help).size() > 0);
    CHECK((f.kind == su::FormatKind::Line) == bool(f.make));
    if (f.kind == su::FormatKind::Line && std::string_view(f.name) != "regex") CHECK(f.make("") != nullptr);
    CHECK(su::find_format(f.name) == &f);
  }
  CHECK_FALSE(bool(su::find_format("auto")->sniff));
  CHECK_FALSE(bool(su::find_format("regex")->sniff));
  CHECK_FALSE(bool(su::find_format("line")->sniff));
  CHECK(su::find_format("xml") == nullptr);
  CHECK(su::find_format("tsv")->dialect.delimiter == '\t');
  CHECK(su::find_format("csv")->dialect.quote == '"');
}

TEST_CASE("docs cannot drift: every format of the table is described in stream-parse(1)") {
  std::string man;
  if (FILE* f = std::fopen(SOURCE_DIR "/man/stream-parse.1", "rb")) {
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) man.append(buf, n);
    std::fclose(f);
  }
  REQUIRE(man.find(".SS Formats\n") != std::string::npos);
  std::string prose = man.substr(man.find(".SS Formats\n"));
  prose = prose.substr(0, prose.find(".SH "));  // the hand-written subsection
  for (const auto& f : su::formats()) {
    INFO(f.name);
    CHECK(prose.find(".TP\n.B " + std::string(f.name) + "\n") != std::string::npos);
  }
}
