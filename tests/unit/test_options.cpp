// The common layer's typed options (values converted and checked when argv
// is parsed, messages that name the option) and the docs generator.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "su/core/error.hpp"
#include "su/docs.hpp"
#include "su/options.hpp"
#include "su/tool.hpp"

namespace {

enum class Color { Red, Green };

struct Opts {
  su::CommonOptions common;
  int64_t period = 0;
  std::optional<int64_t> grace;
  uint64_t buffer = 0;
  std::optional<int64_t> slide;
  size_t batch = 1;
  Color color = Color::Red;
  std::string format = "a";
  std::string out;
};

// A small tool's option table, as a tool's main() builds it.
struct Tool {
  CLI::App app{"A test tool.", "test-tool"};
  Opts o;
  Tool() {
    su::add_duration(app, "--every", o.period, "A period", "the period");
    su::add_duration(app, "--grace", o.grace, "A grace time")->type_name("D");
    su::add_size(app, "--buffer", o.buffer, "Bytes held");
    su::add_count(app, "--slide", o.slide, "Records between ends", "records");
    su::add_count(app, "--batch", o.batch, "Rows per transaction", "rows");
    su::add_enum<Color>(app, "--color", o.color, {{{"red", "warm"}, Color::Red}, {{"green", "cool"}, Color::Green}},
                        "Which color:")
        ->type_name("COLOR");
    CLI::Option* f = su::add_choice(app, "-f,--format", o.format, {{"a", ""}, {"b", ""}}, "A format: a or b");
    f->type_name("FORMAT");
    su::doc(f).man = "More about `a` and *X*; see --every.";
    su::add_file(app, "--out", o.out, "Write to FILE");
    su::add_common_options(app, o.common);
  }
  // "" when argv parses, else CLI11's message (as run_tool prints it).
  std::string parse(std::vector<std::string> args) {
    std::vector<const char*> argv = {"test-tool"};
    for (const auto& a : args) argv.push_back(a.c_str());
    try {
      app.parse(int(argv.size()), const_cast<char**>(argv.data()));
    } catch (const CLI::ParseError& e) {
      return e.what();
    }
    return "";
  }
};

}  // namespace

TEST_CASE("options hold converted values: ns, bytes, counts, enums") {
  Tool t;
  REQUIRE(t.parse({"--every", "1m30s", "--grace", "250ms", "--buffer", "64K", "--slide", "010", "--batch", "500",
                   "--color", "green", "--format", "b", "--control", "never", "--max-line", "1M"}) == "");
  CHECK(t.o.period == 90'000'000'000);
  CHECK(t.o.grace == 250'000'000);
  CHECK(t.o.buffer == 65536u);
  CHECK(t.o.slide == 10);  // decimal, not CLI11's octal
  CHECK(t.o.batch == 500u);
  CHECK(t.o.color == Color::Green);
  CHECK(t.o.format == "b");
  CHECK(t.o.common.control == su::Control::Never);
  CHECK(t.o.common.max_line_bytes() == size_t(1) << 20);
  CHECK(t.o.common.max_line == "1M");  // as given, for messages
}

TEST_CASE("options not given keep their defaults; optional ones stay empty") {
  Tool t;
  REQUIRE(t.parse({}) == "");
  CHECK(t.o.period == 0);
  CHECK_FALSE(t.o.grace);
  CHECK_FALSE(t.o.slide);
  CHECK(t.o.common.control == su::Control::Auto);
}

TEST_CASE("a bad value is a parse error whose message names the option") {
  CHECK(Tool().parse({"--grace", "soon"}) ==
        "--grace: invalid duration 'soon' (expected e.g. 250ms, 30s, 5m, 1h30m, 1d)");
  CHECK(Tool().parse({"--every", "0"}) == "--every: the period must be more than 0");
  CHECK(Tool().parse({"--grace", "0"}) == "");  // 0 is a duration where 0 is allowed
  CHECK(Tool().parse({"--buffer", "lots"}) == "--buffer: invalid size 'lots' (expected e.g. 4096, 64K, 64M, 1G)");
  CHECK(Tool().parse({"--slide", "0"}) == "--slide: expected a positive number of records, got '0'");
  CHECK(Tool().parse({"--batch", "-1"}) == "--batch: expected a positive number of rows, got '-1'");
  CHECK(Tool().parse({"--color", "blue"}) == "--color: blue not in {red,green}");
  CHECK(Tool().parse({"-f", "c"}) == "--format: c not in {a,b}");
  CHECK(Tool().parse({"--control", "sometimes"}) == "--control: sometimes not in {auto,always,never}");
  CHECK(Tool().parse({"--control", "alway"}) == "--control: alway not in {auto,always,never} (did you mean 'always'?)");
  CHECK(Tool().parse({"--color", "gren"}) == "--color: gren not in {red,green} (did you mean 'green'?)");
  CHECK(Tool().parse({"--max-line", "1X"}) == "--max-line: invalid size '1X' (expected e.g. 4096, 64K, 64M, 1G)");
}

TEST_CASE("sizes beyond 2^64 - 1 bytes are refused, never wrapped") {
  Tool t;
  CHECK(t.parse({"--buffer", "17179869184G"}) ==
        "--buffer: invalid size '17179869184G' (too large: at most 17179869183G, 2^64 - 1 bytes)");
  CHECK(t.parse({"--buffer", "99999999999999999999999"}) ==
        "--buffer: invalid size '99999999999999999999999' (too large: at most 17179869183G, 2^64 - 1 bytes)");
  CHECK(t.parse({"--max-line", "18014398509481984M"}) ==
        "--max-line: invalid size '18014398509481984M' (too large: at most 17179869183G, 2^64 - 1 bytes)");
  CHECK(Tool().parse({"--buffer", "17179869183G"}) == "");
  CHECK(Tool().parse({"--buffer", "-1"}) == "--buffer: invalid size '-1' (expected e.g. 4096, 64K, 64M, 1G)");
}

TEST_CASE("negative and overflowing counts are refused") {
  CHECK(Tool().parse({"--batch", "-5"}) == "--batch: expected a positive number of rows, got '-5'");
  CHECK(Tool().parse({"--slide", "-1"}) == "--slide: expected a positive number of records, got '-1'");
  CHECK(Tool().parse({"--batch", "99999999999999999999"}) ==
        "--batch: expected a positive number of rows, got '99999999999999999999'");
}

TEST_CASE("a value out of a set: did you mean the closest one") {
  CHECK(Tool().parse({"--color", "gren"}) == "--color: gren not in {red,green} (did you mean 'green'?)");
  CHECK(Tool().parse({"--control", "alway"}) == "--control: alway not in {auto,always,never} (did you mean 'always'?)");
  CHECK(Tool().parse({"--color", "blue"}) == "--color: blue not in {red,green}");
}

TEST_CASE("an unknown long option: did you mean the closest one") {
  Tool t;
  CHECK(t.parse({"--evry", "1s"}) != "");
  CHECK(su::unknown_option_hint(t.app) == " (did you mean '--every'?)");
  Tool u;
  CHECK(u.parse({"--bufer=64K"}) != "");
  CHECK(su::unknown_option_hint(u.app) == " (did you mean '--buffer'?)");
  Tool v;
  CHECK(v.parse({"--max-lines", "1M"}) != "");
  CHECK(su::unknown_option_hint(v.app) == " (did you mean '--max-line'?)");
  Tool w;
  CHECK(w.parse({"--frobnicate"}) != "");
  CHECK(su::unknown_option_hint(w.app) == "");
  Tool x;
  CHECK(x.parse({"--generat", "man"}) != "");  // hidden options are not suggested
  CHECK(su::unknown_option_hint(x.app) == "");
}

TEST_CASE("--help lists the choices that have help, and groups the common options") {
  Tool t;
  std::string h = t.app.help();
  CHECK(h.find("Which color:\n") != std::string::npos);
  CHECK(h.find("  red      warm") != std::string::npos);
  CHECK(h.find("Common options:") != std::string::npos);
  CHECK(h.find("--generate") == std::string::npos);  // hidden
  CHECK(h.find("\n\n\n") == std::string::npos);
}

TEST_CASE("fish completes a duration: the usual ones, or the number typed with each unit") {
  Tool t;
  std::string fish = su::generate_docs(t.app, "fish");
  CHECK(fish.find("complete -c test-tool -l every -x -a '(__stream_utils_durations)'") != std::string::npos);
  CHECK(fish.find("complete -c test-tool -l grace -x -a '(__stream_utils_durations)'") != std::string::npos);
  CHECK(fish.find("function __stream_utils_durations\n") != std::string::npos);
  CHECK(fish.find("printf '%s\\n' $typed{ms,s,m,h,d}\n") != std::string::npos);
  CHECK(fish.find("-l buffer -x -a '4096 64K 1M 64M 1G'") != std::string::npos);  // sizes: the usual ones
}

TEST_CASE("--help ends with the tool's examples and the exit statuses") {
  Tool t;
  std::string h = t.app.help();
  CHECK(h.find("\nExit status:\n  0  all input processed, nothing rejected\n") != std::string::npos);
  CHECK(h.find("  2  usage error") != std::string::npos);
  CHECK(h.find("Examples:") == std::string::npos);  // no examples for a tool of another name
  CLI::App agg{"", "stream-agg"};
  const std::string e = su::help_epilogue(agg);
  CHECK(e.rfind("Examples:\n  # ", 0) == 0);
  CHECK(e.find("\n  stream-agg --by sensor count mean:temperature readings.ndjson\n") != std::string::npos);
  CHECK(e.find("\nExit status:\n") != std::string::npos);
}

TEST_CASE("the docs: man regions, completions with every option and its values") {
  Tool t;
  std::string man = su::generate_docs(t.app, "man");
  CHECK(man.rfind(".\\\" BEGIN GENERATED: options\n", 0) == 0);
  CHECK(man.find(".\\\" END GENERATED: options\n") != std::string::npos);
  CHECK(man.find(".BI \\-\\-every \" DURATION\"\n") != std::string::npos);
  CHECK(man.find(".BI \\-f \", \" \\-\\-format \" FORMAT\"\n") != std::string::npos);
  CHECK(man.find("More about \\fBa\\fR and \\fIX\\fR; see \\fB\\-\\-every\\fR.\n") != std::string::npos);
  CHECK(man.find(".SS \"Common options\"\n") != std::string::npos);
  CHECK(man.find(".B red\nWarm.\n") != std::string::npos);
  CHECK(man.find("generate") == man.find("generate=man"));  // only in the region's comment
  std::string bash = su::generate_docs(t.app, "bash");
  std::string zsh = su::generate_docs(t.app, "zsh");
  std::string fish = su::generate_docs(t.app, "fish");
  std::string bash_words = bash;  // word ends as spaces
  for (char& c : bash_words)
    if (c == '"' || c == '\n') c = ' ';
  for (const char* o : {"every", "grace", "buffer", "slide", "batch", "color", "format", "out", "rejects", "strict",
                        "control", "quiet", "max-line", "help", "version"}) {
    INFO(o);
    CHECK(bash_words.find(std::string(" --") + o + " ") != std::string::npos);
    CHECK(zsh.find(std::string("--") + o) != std::string::npos);
    CHECK(fish.find(std::string("-l ") + o + " ") != std::string::npos);
  }
  CHECK(bash.find("--color)\n      COMPREPLY=($(compgen -P \"$eq\" -W \"red green\"") != std::string::npos);
  CHECK(bash.find("--out|--rejects)\n      COMPREPLY=($(compgen -P \"$eq\" -f") != std::string::npos);
  CHECK(zsh.find("'--color[Which color]:color:(red green)'") != std::string::npos);
  CHECK(zsh.find("'(- *)'{-h,--help}") != std::string::npos);
  CHECK(fish.find("-l color -x -a 'red green' -d 'Which color'") != std::string::npos);
  CHECK(fish.find("-l out -r -F") != std::string::npos);
  CHECK_THROWS_AS(su::generate_docs(t.app, "html"), su::UsageError);
}

TEST_CASE("docs markup to roff") {
  CHECK(su::markup_to_roff("Use `--x-y` with *N*.") == "Use \\fB\\-\\-x\\-y\\fR with \\fIN\\fR.");
  CHECK(su::markup_to_roff("see --every and header-less") == "see \\fB\\-\\-every\\fR and header-less");
  CHECK(su::markup_to_roff("One. Two.") == "One.\nTwo.");  // a sentence a line
  CHECK(su::markup_to_roff("e.g. 1m") == "e.g. 1m");
  CHECK(su::markup_to_roff("a\n.b") == "a\n\\&.b");  // never a control line
  CHECK(su::markup_to_roff("a\\b") == "a\\eb");
  CHECK(su::markup_to_roff("2×3") == "2\\[u00D7]3");
  CHECK(su::markup_to_roff("every SIZE bytes", {"SIZE"}) == "every \\fISIZE\\fR bytes");
  CHECK(su::markup_to_roff("one\n\ntwo") == "one\n.IP\ntwo");
}
