// su::RecordLoop: the block path gives exactly what the per-line path gives
// (same records read, same values, same rejects with the same reasons, same
// control records, in the same order) on random and malformed NDJSON, for
// both block strategies; and the event-time progress policy without sleeping.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "su/json/field_reader.hpp"
#include "su/record_loop.hpp"
#include "su/window/progress.hpp"

namespace {

// Records every callback as one line of text.
class Recorder : public su::RecordHandler {
 public:
  explicit Recorder(bool take_blocks = false) : fields_({"t", "k", "s"}), take_blocks_(take_blocks) {}
  std::vector<std::string> log;

  std::string read(const su::Line& l, simdjson::ondemand::document& doc) override {
    seen_.clear();
    if (take_blocks_) return {};  // a copying tool reads nothing (as stream-parse)
    std::string err = fields_.read(doc);
    if (!err.empty()) return err;
    fields_.own(l.text);
    for (size_t i = 0; i < 3; ++i) {
      seen_ += fields_.present(i) ? std::string(fields_.text(i)) : "-";
      seen_ += '|';
    }
    if (fields_.present(0) && fields_.value(0).kind == su::Value::Kind::String && fields_.value(0).s == "bad")
      return "t is bad";
    return {};
  }
  std::string apply(const su::Line& l) override {
    log.push_back("rec " + std::to_string(l.number) + " " + seen_ + std::string(l.text));
    if (!take_blocks_ && fields_.present(1) && fields_.text(1) == "\"late\"") return "late: k says so";
    return {};
  }
  void control(const su::Line& l, const su::control::Record& c) override {
    std::string m;
    for (const auto& [k, v] : c.members) m += k + "=" + v + ";";
    log.push_back("ctl " + std::to_string(l.number) + " " + c.name + " " + m);
  }
  bool reject(const su::Line& l, std::string_view reason) override {
    log.push_back("rej " + std::to_string(l.number) + " " + std::string(reason));
    return true;
  }
  bool take_block(const su::Block& b) override {
    if (!take_blocks_) return false;
    su::for_each_line(
        b, [this](const su::Line& l) { log.push_back("rec " + std::to_string(l.number) + " " + std::string(l.text)); });
    return true;
  }

 private:
  su::FieldReader fields_;
  bool take_blocks_;
  std::string seen_;
};

// A block over `text` as the input reader hands it out (padding after it).
struct PaddedBlock {
  std::string buf;
  su::Block b;
  explicit PaddedBlock(const std::string& text) : buf(text) {
    buf.append(su::kInputPadding + 64, ' ');
    b.text = std::string_view(buf.data(), text.size());
    b.source = "test";
    b.first_line = 1;
    b.lines = 1;
    for (char c : text) b.lines += c == '\n';
    b.capacity = buf.size();
  }
};

struct Fixture {
  su::CommonOptions opts;
  su::InputReader in{{"/dev/null"}};
  su::Output out{-1};
  su::Diagnostics diag{"test", (opts.quiet = true, opts)};
};

// What the loop makes of `text`: as one block, or line by line (each line
// alone and padded, as the reader hands out a live line).
std::vector<std::string> run(const std::string& text, bool validate, bool per_line) {
  Fixture f;
  Recorder r(validate);
  su::LoopOptions o;
  o.validate_blocks = validate;
  o.forward_control = false;
  su::RecordLoop loop(f.in, f.out, f.diag, r, o);
  PaddedBlock pb(text);
  if (!per_line) {
    loop.block(pb.b);
    return r.log;
  }
  su::for_each_line(pb.b, [&](const su::Line& l) {
    PaddedBlock lb{std::string(l.text)};
    su::Line x = l;
    x.text = lb.b.text;
    x.capacity = lb.b.capacity;
    loop.line(x);
  });
  return r.log;
}
std::vector<std::string> by_block(const std::string& text, bool validate) {
  return run(text, validate, false);
}
std::vector<std::string> by_line(const std::string& text, bool validate) {
  return run(text, validate, true);
}

// Pieces of lines, good and bad, that random lines are made of.
const std::vector<std::string> kLines = {
    R"({"t":1,"k":"a","s":2})",
    R"({"t":"2026-11-21T10:00:00Z","k":"b","x":[1,2,{"y":null}]})",
    R"({"k":"a\u0062","s":"x\"y","t":3.5})",
    R"(  {"t":4, "k" : "c" }  )",
    R"({"t":5,"k":"late"})",
    R"({"t":"bad"})",
    R"({"_control":"close","window_start":"2026-11-21T10:00:00Z","window_end":"2026-11-21T10:01:00Z"})",
    R"({"_control":"checkpoint","source":"a.log","offset":12})",
    R"({ "_control" : "close", "window":3, "k":"a"})",
    R"({"t":6}{"t":7})",
    R"({"t":8,"k":tru})",
    R"({"t":9,"k":"unterminated})",
    R"({"t":10,"s":01})",
    R"({"t":11,"s":1.})",
    R"([1,2,3])",
    R"("just a string")",
    R"(42)",
    R"({"t":12,"k":"a"} trailing)",
    R"({"t":13,"k":"dup","k":"second"})",
    R"({"t":14,"s":{"deep":[[[]]]}})",
    R"({})",
    R"({"t":15,"k":"\ud83d\ude00"})",
    "{\"t\":16,\"k\":\"\xff\xfe\"}",
    "",
    "   ",
    "\r",
    R"({"t":17)",
    R"(})",
    R"({"t":18,"k":"ok"}
)",
    // Invalid values in fields no tool reads: the whole line is still checked.
    R"({"t":19,"x":tru})",
    R"({"t":20,"x":[1,,2]})",
    R"({"t":21,"a":1,})",
    R"({"t":22,"x":18446744073709551616})",
    R"({"t":23,"x":{"y":nul}})",
    R"({"t":24,"x":"\q"})",
    R"({"t":25,"x":-})",
    R"({"t":26,"x":[[[[[[[[[[]]]]]]]]]]]})",
};

}  // namespace

TEST_CASE("record loop: block path = per-line path on random and malformed input") {
  std::mt19937 rng(20261128);
  for (bool validate : {false, true}) {
    for (int round = 0; round < 400; ++round) {
      std::string text;
      int n = 2 + int(rng() % 40);
      for (int i = 0; i < n; ++i) {
        if (i) text += (rng() % 8 == 0) ? "\r\n" : "\n";
        text += kLines[rng() % kLines.size()];
      }
      auto a = by_block(text, validate), b = by_line(text, validate);
      if (a != b) {
        INFO("validate=" << validate << " input:\n" << text);
        CHECK(a == b);
        break;
      }
    }
  }
}

TEST_CASE("record loop: a block of good records goes through the block path whole") {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "{\"t\":" + std::to_string(i) + ",\"k\":\"a\"}\n";
  text.pop_back();
  auto log = by_block(text, false);
  REQUIRE(log.size() == 100);
  CHECK(log[99] == "rec 100 99|\"a\"|-|{\"t\":99,\"k\":\"a\"}");
}

TEST_CASE("record loop: a block rejects an invalid value in a field no tool reads, as a line alone does") {
  // Lines 2-5 are invalid only outside the fields read (t, k, s).
  auto log = by_block(
      "{\"t\":1}\n{\"t\":2,\"x\":tru}\n{\"t\":3,\"x\":[1,,2]}\n{\"t\":4,\"a\":1,}\n"
      "{\"t\":5,\"x\":18446744073709551616}\n{\"t\":6}",
      false);
  REQUIRE(log.size() == 6);
  CHECK(log[0].rfind("rec 1 ", 0) == 0);
  for (int i = 1; i <= 4; ++i) CHECK(log[size_t(i)].rfind("rej " + std::to_string(i + 1) + " invalid JSON", 0) == 0);
  CHECK(log[5].rfind("rec 6 ", 0) == 0);
}

TEST_CASE("record loop: rejects name the line and the reason") {
  auto log = by_block("{\"t\":1}\n[1]\n{\"t\":\"bad\"}\n{\"t\":2,\"k\":\"late\"}\n{\"t\":3}", false);
  REQUIRE(log.size() == 6);
  CHECK(log[1].rfind("rej 2 ", 0) == 0);
  CHECK(log[2] == "rej 3 t is bad");
  CHECK(log[3].rfind("rec 4 ", 0) == 0);
  CHECK(log[4] == "rej 4 late: k says so");
  CHECK(log[5].rfind("rec 5 ", 0) == 0);
}

TEST_CASE("progress: idle time moves event time on; processing time follows the clock") {
  constexpr int64_t S = 1'000'000'000;
  su::RecordBuffer out;
  su::WindowOptions wo;
  wo.spec.kind = su::WindowKind::Tumbling;
  wo.spec.size = 60 * S;
  su::WindowEngine engine(wo, out);
  su::Progress idle(false, 5 * S, engine);
  CHECK(idle.active());
  CHECK(idle.tick(0, 0) == -1);  // nothing open yet
  CHECK(engine.add(R"({"a":1})", 10 * S, "").empty());
  idle.on_input();
  CHECK(idle.tick(100 * S, 0) == 5000);  // wait the idle time
  CHECK(idle.tick(102 * S, 0) == 3000);
  CHECK(out.buf().find("_control") == std::string::npos);
  CHECK(idle.tick(105 * S, 0) == -1);  // idle: every open window closed
  CHECK(out.buf().find("\"_control\":\"close\"") != std::string::npos);

  su::RecordBuffer out2;
  su::WindowEngine engine2(wo, out2);
  su::Progress wall(true, 0, engine2);
  CHECK(engine2.add(R"({"a":1})", 10 * S, "").empty());
  wall.on_input();
  CHECK(wall.tick(0, 30 * S) == 30000);  // the window ends at 60 s
  CHECK(wall.tick(0, 61 * S) == -1);
  CHECK(out2.buf().find("\"_control\":\"close\"") != std::string::npos);

  su::Progress off(false, 0, engine2);
  CHECK_FALSE(off.active());
}
