// Access logs, read by a hand-written scanner (no regex, no copies unless a
// quoted part holds an escape):
//   clf:      host ident user [time] "request" status bytes
//   combined: clf + "referer" "agent"
//
// Decisions (for the man page):
//  - Fields: host, ident, user, time, method, path, protocol, status, bytes,
//    and for combined referer, agent. A field that is "-" (quoted or not) is
//    null. status and bytes become numbers; every other field stays a string
//    (a user named 42 is "42").
//  - time is the text between the brackets, as written
//    (`21/Nov/2026:10:00:00 +0000`); stream-window recognises it.
//  - Inside quotes, \" and \\ are unescaped (Apache's escapes); other escapes
//    such as \xHH (and nginx's \x22) are kept as written.
//  - The request is split into method, path and protocol: `GET /a HTTP/1.1`;
//    `GET /a` (HTTP/0.9) has a null protocol; a path with spaces in it
//    (`GET /a b HTTP/1.1`) keeps them. A request that is not METHOD PATH [...]
//    (e.g. a TLS handshake sent to a plain-HTTP port) gives null method, path
//    and protocol and an extra field `request` with the text as written,
//    added at the end of the record. "-" gives three nulls.
//  - Text after the last field (nginx's "$http_x_forwarded_for", a request
//    time, ...) goes into an extra field `extra`, at the end, as written.
//  - Fields may be separated by more than one space.
#include "su/formats/access.hpp"

#include <cstring>
#include <string>
#include <vector>

namespace su {
namespace {

class Access final : public LineFormat {
 public:
  Access(bool combined) : combined_(combined), what_(combined ? "combined: " : "clf: ") {}

  std::string parse(std::string_view line, std::vector<ParsedField>& out) override {
    out.clear();
    s_ = line;
    i_ = 0;
    scratch_.clear();
    std::string_view host, ident, user, time, request, status, bytes, referer, agent;
    if (!token(host)) return expected("the client host");
    if (!space() || !token(ident)) return expected("the ident field");
    if (!space() || !token(user)) return expected("the user field");
    if (!space() || !bracketed(time)) return expected("[time]");
    if (!space() || !quoted(request)) return expected("the \"request\"");
    if (!space() || !token(status)) return expected("the status");
    if (!space() || !token(bytes)) return expected("the byte count");
    if (combined_) {
      if (!space() || !quoted(referer)) return expected("the \"referer\"");
      if (!space() || !quoted(agent)) return expected("the \"user agent\"");
    }
    while (i_ < s_.size() && s_[i_] == ' ') ++i_;
    add(out, "host", host, false);
    add(out, "ident", ident, false);
    add(out, "user", user, false);
    add(out, "time", time, false);
    std::string_view method, path, protocol;
    const bool ok = request == "-" || split_request(request, method, path, protocol);
    add(out, "method", method, false, method.empty());
    add(out, "path", path, false, path.empty());
    add(out, "protocol", protocol, false, protocol.empty());
    add(out, "status", status, true);
    add(out, "bytes", bytes, true);
    if (combined_) {
      add(out, "referer", referer, false);
      add(out, "agent", agent, false);
    }
    if (!ok) add(out, "request", request, false);
    if (i_ < s_.size()) add(out, "extra", s_.substr(i_), false);
    return {};
  }

 private:
  // "-" is null in every field of an access log.
  static void add(std::vector<ParsedField>& out, std::string_view name, std::string_view text, bool infer,
                  bool null = false) {
    add_field(out, name, text, infer, null || text == "-");
  }

  std::string expected(const char* what) const {
    return what_ + "expected " + what + " at column " + std::to_string(i_ + 1);
  }

  bool space() {
    if (i_ >= s_.size() || s_[i_] != ' ') return false;
    while (i_ < s_.size() && s_[i_] == ' ') ++i_;
    return true;
  }

  bool token(std::string_view& t) {
    const char* p = s_.data() + i_;
    const void* sp = std::memchr(p, ' ', s_.size() - i_);
    size_t end = sp ? size_t(static_cast<const char*>(sp) - s_.data()) : s_.size();
    if (end == i_) return false;
    t = s_.substr(i_, end - i_);
    i_ = end;
    return true;
  }

  bool bracketed(std::string_view& t) {
    if (i_ >= s_.size() || s_[i_] != '[') return false;
    size_t end = s_.find(']', i_ + 1);
    if (end == std::string_view::npos) return false;
    t = s_.substr(i_ + 1, end - i_ - 1);
    i_ = end + 1;
    return true;
  }

  // "..." with backslash escapes; t is the unescaped inside.
  bool quoted(std::string_view& t) {
    if (i_ >= s_.size() || s_[i_] != '"') return false;
    const size_t start = i_ + 1;
    size_t q = start;
    bool escaped = false;
    for (;;) {
      const void* p = std::memchr(s_.data() + q, '"', s_.size() - q);
      if (!p) return false;
      q = size_t(static_cast<const char*>(p) - s_.data());
      size_t bs = 0;
      while (q - bs > start && s_[q - bs - 1] == '\\') ++bs;
      if (bs % 2 == 0) break;
      escaped = true;
      ++q;
    }
    t = s_.substr(start, q - start);
    i_ = q + 1;
    if (escaped || t.find('\\') != std::string_view::npos) t = unescape(t);
    return true;
  }

  // \" and \\ only; the result lives in scratch_ (reserved so that views into
  // it stay valid for the whole line).
  std::string_view unescape(std::string_view in) {
    if (scratch_.capacity() < s_.size()) scratch_.reserve(s_.size());
    const size_t at = scratch_.size();
    for (size_t k = 0; k < in.size(); ++k) {
      if (in[k] == '\\' && k + 1 < in.size() && (in[k + 1] == '"' || in[k + 1] == '\\')) ++k;
      scratch_.push_back(in[k]);
    }
    return std::string_view(scratch_).substr(at);
  }

  static bool method_like(std::string_view m) {
    if (m.empty()) return false;
    for (char c : m)
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_')) return false;
    return true;
  }

  static bool split_request(std::string_view r, std::string_view& method, std::string_view& path,
                            std::string_view& protocol) {
    size_t sp1 = r.find(' ');
    if (sp1 == std::string_view::npos || !method_like(r.substr(0, sp1))) return false;
    size_t p = sp1;
    while (p < r.size() && r[p] == ' ') ++p;
    size_t end = r.size();
    while (end > p && r[end - 1] == ' ') --end;
    if (p == end) return false;
    std::string_view rest = r.substr(p, end - p);
    size_t sp2 = rest.rfind(' ');
    if (sp2 != std::string_view::npos && rest.substr(sp2 + 1).rfind("HTTP/", 0) == 0) {
      protocol = rest.substr(sp2 + 1);
      while (sp2 > 0 && rest[sp2 - 1] == ' ') --sp2;
      rest = rest.substr(0, sp2);
    }
    method = r.substr(0, sp1);
    path = rest;
    return true;
  }

  bool combined_;
  std::string what_;
  std::string_view s_;
  size_t i_ = 0;
  std::string scratch_;
};

bool sniff(bool combined, std::string_view line) {
  Access p(combined);
  std::vector<ParsedField> fields;
  return p.parse(line, fields).empty();
}

}  // namespace

std::unique_ptr<LineFormat> make_clf() {
  return std::make_unique<Access>(false);
}
std::unique_ptr<LineFormat> make_combined() {
  return std::make_unique<Access>(true);
}
bool sniff_clf(std::string_view line) {
  return sniff(false, line);
}
bool sniff_combined(std::string_view line) {
  return sniff(true, line);
}

}  // namespace su
