// --regex PATTERN: RE2 named groups become fields.
//
// Decisions (for the man page):
//  - The pattern is RE2 syntax (https://github.com/google/re2/wiki/Syntax);
//    named groups are written (?P<name>...) or (?<name>...). Unnamed groups
//    are allowed and not written out.
//  - The pattern may match anywhere in the line (like grep); write ^ and $ to
//    match the whole line.
//  - Fields come in the order of the groups in the pattern. A group that did
//    not take part in the match is null; a matched value becomes a number when
//    it is a JSON number, else a string.
//  - A line that does not match is rejected: "does not match --regex".
//  - A pattern that RE2 refuses, or one without named groups, is a usage
//    error (status 2) with RE2's message.
#include "su/formats/regex.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <vector>

#include "su/core/error.hpp"

namespace su {
namespace {

// Rewrites `(?<name>` to `(?P<name>`: this RE2 (2022) knows only the latter.
// Escapes and character classes are skipped; `(?<=` and `(?<!` are left
// alone (RE2 refuses them with its own message).
std::string python_named_groups(const std::string& p) {
  std::string out;
  out.reserve(p.size() + 8);
  bool in_class = false;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    out.push_back(c);
    if (c == '\\' && i + 1 < p.size()) {
      out.push_back(p[++i]);
    } else if (in_class) {
      if (c == ']') in_class = false;
    } else if (c == '[') {
      in_class = true;
      if (i + 1 < p.size() && p[i + 1] == '^') out.push_back(p[++i]);
      if (i + 1 < p.size() && p[i + 1] == ']') out.push_back(p[++i]);  // []...] holds a ]
    } else if (c == '(' && p.compare(i + 1, 2, "?<") == 0 && i + 3 < p.size() && p[i + 3] != '=' && p[i + 3] != '!') {
      out += "?P<";
      i += 2;
    }
  }
  return out;
}

RE2::Options options() {
  RE2::Options o;
  o.set_log_errors(false);
  return o;
}

class Regex final : public LineFormat {
 public:
  explicit Regex(const std::string& pattern) : re_(python_named_groups(pattern), options()) {
    if (!re_.ok()) throw UsageError("--regex: " + re_.error());
    // CapturingGroupNames() is ordered by group index; this RE2 accepts a
    // name twice, which would make duplicate members: refuse it.
    for (const auto& [index, name] : re_.CapturingGroupNames()) {
      if (std::find(names_.begin(), names_.end(), name) != names_.end())
        throw UsageError("--regex: duplicate group name '" + name + "'");
      index_.push_back(index);
      names_.push_back(name);
    }
    if (names_.empty()) throw UsageError("--regex: the pattern has no named group such as (?P<name>...)");
    match_.resize(size_t(index_.back()) + 1);
  }

  std::string parse(std::string_view line, std::vector<ParsedField>& out) override {
    out.clear();
    if (!re_.Match(re2::StringPiece(line.data(), line.size()), 0, line.size(), RE2::UNANCHORED, match_.data(),
                   int(match_.size())))
      return "does not match --regex";
    for (size_t k = 0; k < index_.size(); ++k) {
      const re2::StringPiece& m = match_[size_t(index_[k])];
      ParsedField f;
      f.name = names_[k];
      f.text = std::string_view(m.data() ? m.data() : "", m.size());
      f.null = m.data() == nullptr;
      out.push_back(f);
    }
    return {};
  }

 private:
  RE2 re_;
  std::vector<int> index_;
  std::vector<std::string> names_;
  std::vector<re2::StringPiece> match_;
};

}  // namespace

std::unique_ptr<LineFormat> make_regex(const std::string& pattern) {
  return std::make_unique<Regex>(pattern);
}

}  // namespace su
