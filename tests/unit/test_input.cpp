// InputReader: files in order, stdin, line endings, BOM, long lines, quote-
// aware records, timeouts and the before-block hook.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "su/input.hpp"

namespace {

// A temporary file holding `content`, removed at scope exit.
struct TempFile {
  std::string path;
  explicit TempFile(std::string_view content) {
    char tmpl[] = "/tmp/su_test_input_XXXXXX";
    int fd = ::mkstemp(tmpl);
    REQUIRE(fd >= 0);
    path = tmpl;
    size_t off = 0;
    while (off < content.size()) {
      ssize_t n = ::write(fd, content.data() + off, content.size() - off);
      REQUIRE(n > 0);
      off += size_t(n);
    }
    ::close(fd);
  }
  ~TempFile() { ::unlink(path.c_str()); }
};

struct Got {
  std::string text;
  std::string source;
  uint64_t number;
  bool too_long;
};

std::vector<Got> read_all(su::InputReader& in) {
  std::vector<Got> out;
  su::Line l;
  while (in.next(l) == su::ReadStatus::Line) {
    CHECK(l.capacity >= l.text.size() + su::kInputPadding);
    out.push_back({std::string(l.text), std::string(l.source), l.number, l.too_long});
  }
  return out;
}

std::vector<std::string> texts(const std::vector<Got>& g) {
  std::vector<std::string> out;
  for (const auto& x : g) out.push_back(x.text);
  return out;
}

// Puts a pipe's read end on stdin for the scope; restores stdin after.
struct StdinPipe {
  int saved, wr;
  StdinPipe() {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    saved = ::dup(0);
    ::dup2(fds[0], 0);
    ::close(fds[0]);
    wr = fds[1];
  }
  void write(std::string_view s) { REQUIRE(::write(wr, s.data(), s.size()) == ssize_t(s.size())); }
  void close() {
    if (wr >= 0) ::close(wr);
    wr = -1;
  }
  ~StdinPipe() {
    close();
    ::dup2(saved, 0);
    ::close(saved);
  }
};

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("input: several files in order, line numbers per file") {
  TempFile a("a1\na2\n"), b("b1\n");
  su::InputReader in({a.path, b.path});
  auto g = read_all(in);
  REQUIRE(g.size() == 3);
  CHECK(texts(g) == V{"a1", "a2", "b1"});
  CHECK(g[0].source == a.path);
  CHECK(g[1].number == 2);
  CHECK(g[2].source == b.path);
  CHECK(g[2].number == 1);
}

TEST_CASE("input: CRLF, blank lines and a last line without a newline") {
  TempFile f("x\r\n\r\n\ny\r\nlast");
  su::InputReader in({f.path});
  auto g = read_all(in);
  CHECK(texts(g) == V{"x", "", "", "y", "last"});
  CHECK(g.back().number == 5);
}

TEST_CASE("input: a UTF-8 BOM is skipped at the start of each file only") {
  TempFile a("\xEF\xBB\xBFone\n\xEF\xBB\xBFkept\n"), b("\xEF\xBB\xBFtwo");
  su::InputReader in({a.path, b.path});
  CHECK(texts(read_all(in)) == V{"one", "\xEF\xBB\xBFkept", "two"});
}

TEST_CASE("input: an empty file and a missing file") {
  TempFile e("");
  su::InputReader in({e.path});
  CHECK(read_all(in).empty());
  su::InputReader bad({"/nonexistent/su-test"});
  su::Line l;
  CHECK_THROWS(bad.next(l));
}

TEST_CASE("input: stdin through a pipe, also when named -") {
  StdinPipe p;
  p.write("s1\ns2\n");
  p.close();
  su::InputReader in({"-"});
  auto g = read_all(in);
  CHECK(texts(g) == V{"s1", "s2"});
  CHECK(g[0].source == "stdin");
}

TEST_CASE("input: a line over max_line is rejected as too_long; the next line is intact") {
  std::string big(100, 'x');
  TempFile f("short\n" + big + "\nafter\n");
  su::InputReader in({f.path}, 32);
  auto g = read_all(in);
  REQUIRE(g.size() == 3);
  CHECK(g[0].text == "short");
  CHECK(g[1].too_long);
  CHECK(g[1].text.size() <= 32);
  CHECK(g[1].number == 2);
  CHECK_FALSE(g[2].too_long);
  CHECK(g[2].text == "after");
  CHECK(g[2].number == 3);
}

TEST_CASE("input: an over-long line bigger than the read buffer is skipped to its end") {
  std::string big(5u << 20, 'y');
  TempFile f(big + "\nnext\n");
  su::InputReader in({f.path}, 1024);
  auto g = read_all(in);
  REQUIRE(g.size() == 2);
  CHECK(g[0].too_long);
  CHECK(g[1].text == "next");
  CHECK_FALSE(g[1].too_long);
}

TEST_CASE("input: lines longer than the 1 MiB read size come out whole") {
  std::string l1(3u << 20, 'a'), l2((1u << 20) + 7, 'b');
  l1[12345] = 'Z';
  TempFile f(l1 + "\n" + l2 + "\nend");
  su::InputReader in({f.path});
  auto g = read_all(in);
  REQUIRE(g.size() == 3);
  CHECK(g[0].text == l1);
  CHECK(g[1].text == l2);
  CHECK(g[2].text == "end");
}

TEST_CASE("input: quote-aware records keep newlines inside quotes; line numbers count them") {
  TempFile f("h1,h2\na,\"x\ny\r\nz\"\n\"q\"\"\n\",b\nlast,\"\"\n");
  su::InputReader in({f.path});
  in.set_quote_aware(true);
  auto g = read_all(in);
  REQUIRE(g.size() == 4);
  CHECK(g[0].text == "h1,h2");
  CHECK(g[1].text == "a,\"x\ny\r\nz\"");
  CHECK(g[1].number == 2);
  CHECK(g[2].text == "\"q\"\"\n\",b");
  CHECK(g[2].number == 5);
  CHECK(g[3].text == "last,\"\"");
  CHECK(g[3].number == 7);
}

TEST_CASE("input: quote-aware records across read blocks") {
  // Records with quoted newlines, straddling the 1 MiB read boundary.
  std::string content, rec = "k,\"line one\nline, two\n\"\"three\"\"\"\n";
  size_t n = 0;
  while (content.size() < (3u << 20)) {
    content += rec;
    ++n;
  }
  TempFile f(content);
  su::InputReader in({f.path});
  in.set_quote_aware(true);
  auto g = read_all(in);
  REQUIRE(g.size() == n);
  bool all_same = true;
  for (const auto& x : g) all_same = all_same && x.text == rec.substr(0, rec.size() - 1);
  CHECK(all_same);
  CHECK(g.back().number == 3 * n - 2);
}

TEST_CASE("input: an unterminated quote runs to the end of the input") {
  TempFile f("a\n\"open\nstill\n");
  su::InputReader in({f.path});
  in.set_quote_aware(true);
  auto g = read_all(in);
  REQUIRE(g.size() == 2);
  CHECK(g[1].text == "\"open\nstill");  // the final line terminator is not part of it
}

TEST_CASE("input: Timeout from a pipe with no data, then the line when it comes") {
  StdinPipe p;
  su::InputReader in({"-"});
  su::Line l;
  CHECK(in.next(l, 30) == su::ReadStatus::Timeout);
  p.write("late\n");
  REQUIRE(in.next(l, 1000) == su::ReadStatus::Line);
  CHECK(l.text == "late");
  CHECK(in.next(l, 30) == su::ReadStatus::Timeout);
  p.close();
  CHECK(in.next(l, 1000) == su::ReadStatus::Eof);
}

TEST_CASE("input: on_before_block runs before the reader blocks, not while data is there") {
  StdinPipe p;
  p.write("one\ntwo\n");
  su::InputReader in({"-"});
  int calls = 0;
  in.on_before_block([&] { ++calls; });
  su::Line l;
  REQUIRE(in.next(l, 1000) == su::ReadStatus::Line);
  REQUIRE(in.next(l, 1000) == su::ReadStatus::Line);
  CHECK(l.text == "two");
  CHECK(calls == 0);
  CHECK(in.next(l, 30) == su::ReadStatus::Timeout);
  CHECK(calls == 1);
  p.close();
}

TEST_CASE("input: quote-aware, plain records mixed with quoted ones (the memchr path and the kernel path)") {
  // Runs of records without quotes (found with memchr up to the next quote)
  // between quoted records with newlines, across read blocks and through a
  // pipe that delivers odd-sized chunks: same records, same line numbers.
  std::string content;
  std::vector<std::string> want;
  std::vector<uint64_t> want_line;
  uint64_t line = 1;
  for (int i = 0; content.size() < (3u << 20); ++i) {
    std::string rec = i % 97 == 0   ? "q" + std::to_string(i) + ",\"a\nb \"\"c\"\"\n\",x"
                      : i % 13 == 0 ? "e" + std::to_string(i) + ",\"\",\"d,e\""
                                    : "p" + std::to_string(i) + ",1.5,plain text";
    want.push_back(rec);
    want_line.push_back(line);
    line += 1 + uint64_t(std::count(rec.begin(), rec.end(), '\n'));
    content += rec + "\n";
  }
  auto check = [&](const std::vector<Got>& g) {
    REQUIRE(g.size() == want.size());
    size_t bad = 0;
    for (size_t k = 0; k < g.size(); ++k) bad += g[k].text != want[k] || g[k].number != want_line[k];
    CHECK(bad == 0);
  };
  TempFile f(content);
  su::InputReader in({f.path});
  in.set_quote_aware(true);
  check(read_all(in));

  StdinPipe p;
  su::InputReader piped({"-"});
  piped.set_quote_aware(true);
  std::thread writer([&] {
    for (size_t off = 0; off < content.size(); off += 4093) p.write(std::string_view(content).substr(off, 4093));
    p.close();
  });
  auto got = read_all(piped);
  writer.join();
  check(got);
}

TEST_CASE("follow: file identity text round trip; a fingerprint of the first bytes") {
  su::FileIdentity id{2049, 123456, 1024, 0xdeadbeefULL};
  CHECK(id.text() == "2049:123456:1024:00000000deadbeef");
  auto back = su::FileIdentity::parse(id.text());
  REQUIRE(back);
  CHECK(back->dev == 2049);
  CHECK(back->ino == 123456);
  CHECK(back->fp_len == 1024);
  CHECK(back->fp == 0xdeadbeefULL);
  CHECK(!su::FileIdentity::parse("2049:123456"));
  CHECK(!su::FileIdentity::parse("1:2:5000:ff"));  // more than the fingerprint covers
  TempFile f("hello\nworld\n");
  int fd = ::open(f.path.c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  su::FileIdentity a = su::identify(fd);
  CHECK(a.fp_len == 12);
  CHECK(su::same_start(fd, a));
  su::FileIdentity other = a;
  other.fp ^= 1;
  CHECK(!su::same_start(fd, other));
  ::close(fd);
}

TEST_CASE("follow --once: files read to their end, each its own source; checkpoints after the lines") {
  TempFile a("a1\na2\n");
  TempFile b("b1\nb2 partial");
  su::InputReader in({a.path, b.path});
  su::FollowOptions fo;
  fo.once = true;
  in.follow(std::make_unique<su::Follower>(std::vector<std::string>{a.path, b.path}, fo));
  std::vector<std::string> seen;
  in.on_checkpoint([&](const su::ReadPosition& p) {
    seen.push_back("checkpoint " + std::to_string(p.offset) + " line " + std::to_string(p.line));
  });
  su::Line l;
  std::vector<uint32_t> serials;
  while (in.next(l) == su::ReadStatus::Line) {
    seen.emplace_back(l.text);
    serials.push_back(l.serial);
  }
  // b's partial last line is left for a next run; its checkpoint is before it.
  // A checkpoint at the start of each file too: a later run finds the file
  // (renamed since) by its fingerprint even when no line of it was final.
  CHECK(seen == std::vector<std::string>{"checkpoint 0 line 0", "a1", "a2", "checkpoint 6 line 2",
                                         "checkpoint 0 line 0", "b1", "checkpoint 3 line 1"});
  REQUIRE(serials.size() == 3);
  CHECK(serials[0] == serials[1]);
  CHECK(serials[2] != serials[0]);
}

// ---- ReadAhead: a pipe read on a second thread ----------------------------

#include <poll.h>

#include <chrono>
#include <random>

#include "su/read_ahead.hpp"

namespace {
// Waits (at most 5 s) until fd is readable.
bool readable(int fd, int ms = 5000) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, ms) == 1;
}
}  // namespace

TEST_CASE("read ahead: every byte of a pipe in order, in reads of any size, then the end") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::string sent;
  std::mt19937 rng(7);
  for (int i = 0; i < 300000; ++i) sent.push_back(char('a' + rng() % 26));
  std::thread writer([&] {
    std::mt19937 r(11);
    for (size_t off = 0; off < sent.size();) {
      const size_t n = std::min<size_t>(1 + r() % 9000, sent.size() - off);
      REQUIRE(::write(fds[1], sent.data() + off, n) == ssize_t(n));
      off += n;
      if (r() % 50 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ::close(fds[1]);
  });
  std::string got;
  {
    su::ReadAhead ra(fds[0]);
    char buf[5000];
    for (int i = 0; i < 1000000; ++i) {  // bounded
      const ssize_t n = ra.read(buf, 1 + size_t(i) % sizeof buf);
      if (n == 0) break;
      if (n < 0) {
        REQUIRE(errno == EAGAIN);
        REQUIRE(readable(ra.ready_fd()));
        continue;
      }
      got.append(buf, size_t(n));
    }
    CHECK(ra.read(buf, sizeof buf) == 0);  // the end is said again
  }
  writer.join();
  ::close(fds[0]);
  CHECK(got == sent);
}

TEST_CASE("read ahead: nothing yet is EAGAIN; a chunk read in part stays readable") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  su::ReadAhead ra(fds[0]);
  char b[4];
  CHECK(ra.read(b, sizeof b) == -1);
  CHECK(errno == EAGAIN);
  CHECK_FALSE(readable(ra.ready_fd(), 50));
  REQUIRE(::write(fds[1], "0123456789", 10) == 10);
  REQUIRE(readable(ra.ready_fd()));
  CHECK(ra.read(b, 4) == 4);
  CHECK(std::string(b, 4) == "0123");
  CHECK(readable(ra.ready_fd(), 0));  // six bytes still waiting
  CHECK(ra.read(b, 4) == 4);
  CHECK(ra.read(b, 4) == 2);
  CHECK(std::string(b, 2) == "89");
  ::close(fds[1]);
  REQUIRE(readable(ra.ready_fd()));
  CHECK(ra.read(b, 4) == 0);
  ::close(fds[0]);
}

TEST_CASE("read ahead: ends at once while its thread waits on an idle pipe, or on a full queue") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  auto start = std::chrono::steady_clock::now();
  { su::ReadAhead idle(fds[0]); }  // the thread is in poll(): the destructor wakes it
  {
    // More than kChunks reads waiting: the thread waits for a free chunk.
    std::thread writer([&] {
      std::string block(64 << 10, 'x');
      for (int i = 0; i < 40; ++i)
        if (::write(fds[1], block.data(), block.size()) <= 0) break;
      ::close(fds[1]);
    });
    {
      su::ReadAhead full(fds[0]);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    // What the writer still sends, to its end.
    char buf[65536];
    while (::read(fds[0], buf, sizeof buf) > 0) {
    }
    writer.join();
  }
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  ::close(fds[0]);
}

TEST_CASE("input: with read ahead, a pipe gives the lines it gives without") {
  std::string text;
  for (int i = 0; i < 50000; ++i) text += "line " + std::to_string(i) + (i % 7 ? "\n" : "\r\n");
  text += "last";
  std::vector<std::string> runs[2];
  for (int ahead = 0; ahead < 2; ++ahead) {
    StdinPipe p;
    std::thread writer([&] {
      for (size_t off = 0; off < text.size(); off += 4093) p.write(std::string_view(text).substr(off, 4093));
      p.close();
    });
    su::InputReader in({"-"});
    in.set_read_ahead(ahead == 1);
    runs[ahead] = texts(read_all(in));
    writer.join();
  }
  CHECK(runs[0].size() == 50001);
  CHECK(runs[1] == runs[0]);
}
