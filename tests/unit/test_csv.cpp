// CsvSplitter behaviour (RFC 4180 quoting, TSV escapes) and the SIMD kernels
// checked against their scalar twins on random and adversarial records.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "su/formats/csv.hpp"

namespace {

std::vector<std::string> texts(const std::vector<su::CsvField>& f) {
  std::vector<std::string> out;
  for (const auto& x : f) out.emplace_back(x.text);
  return out;
}

struct Split {
  std::string err;
  std::vector<std::string> fields;
  std::vector<bool> quoted;
};

Split split(std::string_view rec, su::CsvDialect d = {}) {
  su::CsvSplitter s(d);
  std::vector<su::CsvField> f;
  Split r;
  r.err = s.split(rec, f);
  r.fields = texts(f);
  for (const auto& x : f) r.quoted.push_back(x.quoted);
  return r;
}

using V = std::vector<std::string>;

// Deterministic PRNG (splitmix64): same records on every run and platform.
struct Rng {
  uint64_t x;
  uint64_t next() {
    uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  size_t below(size_t n) { return size_t(next() % n); }
};

struct ScanResult {
  bool ok;
  std::vector<uint32_t> ends;
  bool operator==(const ScanResult& o) const { return ok == o.ok && ends == o.ends; }
};

ScanResult run_scan(su::CsvScanFn fn, std::string_view rec, char delim, char quote) {
  ScanResult r;
  r.ends.push_back(7777);  // the kernel appends: what was there stays
  r.ok = fn(rec, delim, quote, r.ends);
  return r;
}

// Every kernel agrees with the scalar twin on scan, find_record_end and count_byte.
void check_all_kernels(const std::string& rec) {
  const su::CsvKernels* scalar = su::csv_kernels_by_name("scalar");
  REQUIRE(scalar != nullptr);
  for (const su::CsvKernels* k : su::csv_kernels_available()) {
    // Not a structured binding: clang 14 cannot capture one in doctest's INFO.
    for (auto dq : {std::pair{',', '"'}, std::pair{'\t', '\0'}, std::pair{';', '\''}}) {
      const char delim = dq.first, quote = dq.second;
      ScanResult want = run_scan(scalar->scan, rec, delim, quote);
      ScanResult got = run_scan(k->scan, rec, delim, quote);
      INFO("kernel ", std::string(k->name), " len ", rec.size(), " delim ", int(delim), " quote ", int(quote));
      CHECK(got == want);
      for (char watch : {quote, '\\', ','}) {
        ScanResult w1{true, {7777}}, w2{true, {7777}};
        bool s1 = false, s2 = true;
        w1.ok = scalar->scan_watch(rec, delim, quote, watch, w1.ends, &s1);
        w2.ok = k->scan_watch(rec, delim, quote, watch, w2.ends, &s2);
        CHECK(w2 == w1);
        CHECK(w1 == want);
        CHECK(s2 == s1);
      }
    }
    for (int parity : {0, 1}) {
      int pw = parity, pg = parity;
      size_t want = scalar->find_record_end(rec.data(), rec.size(), '"', &pw);
      size_t got = k->find_record_end(rec.data(), rec.size(), '"', &pg);
      INFO("kernel ", std::string(k->name), " find_record_end len ", rec.size(), " parity ", parity);
      CHECK(got == want);
      CHECK(pg == pw);
    }
    for (char c : {'"', '\n', ','}) {
      INFO("kernel ", std::string(k->name), " count_byte len ", rec.size());
      CHECK(k->count_byte(rec.data(), rec.size(), c) == scalar->count_byte(rec.data(), rec.size(), c));
    }
  }
}

}  // namespace

TEST_CASE("csv: plain fields, empty fields and a trailing delimiter") {
  CHECK(split("a,b,c").fields == V{"a", "b", "c"});
  CHECK(split("").fields == V{""});
  CHECK(split(",").fields == V{"", ""});
  CHECK(split("a,,c,").fields == V{"a", "", "c", ""});
  CHECK(split(" a , b ").fields == V{" a ", " b "});
}

TEST_CASE("csv: quoted fields keep delimiters, newlines and CRLF inside") {
  Split r = split("\"a,b\",\"line1\nline2\",\"x\r\ny\",plain");
  CHECK(r.err.empty());
  CHECK(r.fields == V{"a,b", "line1\nline2", "x\r\ny", "plain"});
  CHECK(r.quoted == std::vector<bool>{true, true, true, false});
}

TEST_CASE("csv: doubled quotes are one quote; an empty quoted field is marked quoted") {
  Split r = split("\"say \"\"hi\"\"\",\"\",\"\"\"\"");
  CHECK(r.err.empty());
  CHECK(r.fields == V{"say \"hi\"", "", "\""});
  CHECK(r.quoted == std::vector<bool>{true, true, true});
  CHECK(split("a,").quoted == std::vector<bool>{false, false});
}

TEST_CASE("csv: stray and unbalanced quotes are rejected with a reason") {
  CHECK(split("\"abc").err == "unterminated quoted field");
  CHECK(split("a,\"b,c").err == "unterminated quoted field");
  CHECK(split("ab\"c\",d").err == "a quote in an unquoted field");
  CHECK(split("\"ab\"c,d").err == "stray characters after a closing quote");
  CHECK(split("\"a\"b\"\"").err == "a quote inside a quoted field must be doubled");
  CHECK_FALSE(split("\"a\"\"b\"").err.size());
}

TEST_CASE("csv: other delimiters") {
  su::CsvDialect d;
  d.delimiter = ';';
  CHECK(split("a;\"b;c\";d,e", d).fields == V{"a", "b;c", "d,e"});
}

TEST_CASE("tsv: no quoting, backslash escapes are unescaped") {
  su::CsvDialect d;
  d.delimiter = '\t';
  d.quote = '\0';
  d.tsv_escapes = true;
  Split r = split("a\\tb\t\"q\"\tx\\ny\\\\z\t\\r\\q", d);
  CHECK(r.err.empty());
  CHECK(r.fields == V{"a\tb", "\"q\"", "x\ny\\z", "\r\\q"});
  CHECK(split("\t\t", d).fields == V{"", "", ""});
}

TEST_CASE("csv: views stay valid for a whole record with many escaped fields") {
  std::string rec;
  V want;
  for (int i = 0; i < 200; ++i) {
    std::string n = std::to_string(i);
    if (i) rec.push_back(',');
    rec.append("\"v").append(n).append("\"\"x\"");
    want.push_back(std::string("v").append(n).append("\"x"));
  }
  CHECK(split(rec).fields == want);
}

TEST_CASE("csv kernels: dispatch names and forcing by name") {
  std::string chosen = su::csv_scan_impl_name();
  CHECK((chosen == "avx2" || chosen == "sse2" || chosen == "scalar"));
  CHECK((su::csv_scan_impl_by_name("scalar") == &su::csv_scan_scalar));
  CHECK((su::csv_scan_impl_by_name("nonsense") == nullptr));
  auto avail = su::csv_kernels_available();
  REQUIRE(!avail.empty());
  CHECK(std::string(avail.back()->name) == "scalar");
#if defined(__x86_64__)
  CHECK(su::csv_kernels_by_name("sse2") != nullptr);  // x86-64 baseline
#endif
}

TEST_CASE("csv kernels: every kernel matches the scalar twin on random records") {
  // Alphabets rich in quotes, delimiters, newlines, \r and non-ASCII bytes.
  const std::vector<std::string> alphabets = {
      "\",\n\r a",
      "\"\"\",,;'\t\n",
      "abc,\"\xC3\xA9\xFF\x80\r\n\t;'",
      std::string("\"\0,x", 4),
  };
  Rng rng{42};
  for (int iter = 0; iter < 4000; ++iter) {
    const std::string& a = alphabets[iter % alphabets.size()];
    size_t len = iter < 301 ? size_t(iter) : rng.below(700);
    std::string rec(len, 'x');
    for (char& c : rec) c = a[rng.below(a.size())];
    check_all_kernels(rec);
  }
}

TEST_CASE("csv kernels: quotes and delimiters at block boundaries") {
  const size_t spots[] = {0, 1, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 127, 128, 191, 192, 255, 256};
  for (size_t len = 0; len <= 300; ++len) {
    for (size_t s : spots) {
      if (s >= len) continue;
      std::string rec(len, 'a');
      rec[s] = '"';  // unbalanced quote at the boundary
      check_all_kernels(rec);
      for (size_t t : spots) {
        if (t <= s || t >= len) continue;
        std::string r2 = rec;
        r2[t] = '"';  // closed at another boundary; delimiters and newlines around
        if (t + 1 < len) r2[t + 1] = ',';
        if (s > 0) r2[s - 1] = '\n';
        if (t - 1 > s) r2[t - 1] = ',';
        check_all_kernels(r2);
      }
    }
  }
}

TEST_CASE("csv kernels: results on a known record") {
  for (const su::CsvKernels* k : su::csv_kernels_available()) {
    INFO(std::string(k->name));
    std::string rec = std::string(62, 'a') + ",\"x,\ny\"," + std::string(70, 'b') + ",";
    ScanResult r = run_scan(k->scan, rec, ',', '"');
    CHECK(r.ok);
    CHECK(r.ends == std::vector<uint32_t>{7777, 62, 69, 140, 141});
    int parity = 0;
    CHECK(k->find_record_end(rec.data(), rec.size(), '"', &parity) == rec.size());
    CHECK(parity == 0);
    std::string two = "\"a\nb\"\nnext";
    CHECK(k->find_record_end(two.data(), two.size(), '"', &parity) == 5);
    CHECK(k->count_byte(rec.data(), rec.size(), 'b') == 70);
    CHECK_FALSE(run_scan(k->scan, "\"open", ',', '"').ok);
  }
}
