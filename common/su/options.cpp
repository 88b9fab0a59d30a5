// Typed options and what the docs know of them (see options.hpp).
#include "su/options.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

#include "su/core/error.hpp"
#include "su/core/suggest.hpp"
#include "su/core/units.hpp"
#include "su/serve/access.hpp"

namespace su {

namespace {
const std::vector<std::string> kDurationExamples = {"250ms", "1s", "10s", "30s", "1m", "5m", "15m", "1h", "1d"};
const std::vector<std::string> kSizeExamples = {"4096", "64K", "1M", "64M", "1G"};
}  // namespace

const std::vector<std::string>& duration_examples() {
  return kDurationExamples;
}
const std::vector<std::string>& size_examples() {
  return kSizeExamples;
}

OptionDoc& doc(const CLI::Option* opt) {
  // By address, with the option's names: a freed option's doc is dropped when
  // another option takes its address (CLI11 options carry no data of ours).
  struct Entry {
    std::string names;
    OptionDoc doc;
  };
  static std::map<const CLI::Option*, Entry> docs;
  const std::string names = opt->get_name(true, true);
  Entry& e = docs[opt];
  if (e.names != names) e = Entry{names, {}};
  return e.doc;
}

CLI::Validator duration_ns(const char* positive) {
  return CLI::Validator(
      [positive](std::string& s) -> std::string {
        auto d = parse_duration(s);
        if (!d) return invalid_duration(s);
        if (positive && *d <= 0) return std::string(positive) + " must be more than 0";
        s = std::to_string(*d);
        return {};
      },
      "");
}

CLI::Validator size_bytes() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        auto v = parse_size(s);
        if (!v) return invalid_size(s);
        s = std::to_string(*v);
        return {};
      },
      "");
}

CLI::Validator positive_count(const std::string& things) {
  return CLI::Validator(
      [things](std::string& s) -> std::string {
        auto n = parse_count(s);
        if (!n) return invalid_count(s, things);
        s = std::to_string(*n);  // "010" is 10, not CLI11's octal 8
        return {};
      },
      "");
}

CLI::Validator one_of(const std::vector<Choice>& choices) {
  std::string set = "{";
  for (const Choice& c : choices) set += (set.size() > 1 ? "," : "") + c.name;
  set += "}";
  std::vector<std::string> names;
  for (const Choice& c : choices) names.push_back(c.name);
  return CLI::Validator(
      [names, set](std::string& s) -> std::string {
        for (const std::string& n : names)
          if (s == n) return {};
        return s + " not in " + set + did_you_mean(s, names);  // json -> ndjson
      },
      set);
}

std::string unknown_option_hint(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* o : app.get_options()) {
    if (o->get_group().empty()) continue;  // hidden (--generate)
    for (const std::string& l : o->get_lnames()) names.push_back("--" + l);
  }
  for (const std::string& arg : app.remaining()) {
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) continue;
    auto close = closest_name(std::string_view(arg).substr(0, arg.find('=')), names);
    if (!close) return {};
    std::string hint = " (did you mean '";
    hint.append(*close);
    hint.append("'?)");
    return hint;
  }
  return {};
}

std::string help_with_choices(const std::string& help, const std::vector<Choice>& choices) {
  size_t width = 8;
  for (const Choice& c : choices) width = std::max(width, c.name.size());
  std::string h = help;
  for (const Choice& c : choices) {
    if (c.help.empty()) continue;
    h += "\n  " + c.name + std::string(width + 1 - c.name.size(), ' ') + c.help;
  }
  return h;
}

CLI::Option* add_duration(CLI::App& app, const std::string& names, int64_t& ns, const std::string& help,
                          const char* positive) {
  CLI::Option* o = app.add_option(names, ns, help)->transform(duration_ns(positive))->type_name("DURATION");
  doc(o).examples = kDurationExamples;
  return o;
}

CLI::Option* add_duration(CLI::App& app, const std::string& names, std::optional<int64_t>& ns, const std::string& help,
                          const char* positive) {
  CLI::Option* o = app.add_option_function<int64_t>(
      names, [&ns](const int64_t& v) { ns = v; }, help);
  o->transform(duration_ns(positive))->type_name("DURATION");
  doc(o).examples = kDurationExamples;
  return o;
}

CLI::Option* add_size(CLI::App& app, const std::string& names, uint64_t& bytes, const std::string& help) {
  CLI::Option* o = app.add_option(names, bytes, help)->transform(size_bytes())->type_name("SIZE");
  doc(o).examples = kSizeExamples;
  return o;
}

CLI::Option* add_count(CLI::App& app, const std::string& names, std::optional<int64_t>& n, const std::string& help,
                       const std::string& things) {
  CLI::Option* o = app.add_option_function<int64_t>(
      names, [&n](const int64_t& v) { n = v; }, help);
  return o->transform(positive_count(things))->type_name("N");
}

CLI::Option* add_count(CLI::App& app, const std::string& names, size_t& n, const std::string& help,
                       const std::string& things) {
  return app.add_option(names, n, help)->transform(positive_count(things))->type_name("N");
}

CLI::Option* add_file(CLI::App& app, const std::string& names, std::string& path, const std::string& help) {
  CLI::Option* o = app.add_option(names, path, help)->type_name("FILE");
  doc(o).value = OptionDoc::Value::File;
  return o;
}

CLI::Option* add_choice(CLI::App& app, const std::string& names, std::string& value, std::vector<Choice> choices,
                        const std::string& help) {
  CLI::Option* o = app.add_option(names, value, help_with_choices(help, choices))->check(one_of(choices));
  doc(o).choices = std::move(choices);
  return o;
}

std::string read_token_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Fatal("--token: " + path + ": " + std::strerror(errno));
  std::string text;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string err = std::strerror(errno);
      ::close(fd);
      throw Fatal("--token: " + path + ": " + err);
    }
    if (n == 0 || text.size() > 64 * 1024) break;
    text.append(buf, size_t(n));
  }
  ::close(fd);
  return serve::token_from_file_text(text);
}

}  // namespace su
