// syslog, one message per line, in the three shapes found in the wild:
//   RFC 3164:  <34>Oct 11 22:14:15 mymachine su[123]: 'su root' failed
//   RFC 5424:  <165>1 2003-10-11T22:14:15.003Z host app 42 ID47 [sd@1 a="b"] msg
//   file form: Oct 11 22:14:15 mymachine su[123]: msg  (no <PRI>, as written
//              to /var/log/syslog; also with an RFC 3339 time, as Debian's
//              rsyslog writes it: 2026-11-21T10:00:00.123456+01:00 host ...)
//
// Decisions (for the man page):
//  - facility and severity are the numbers from <PRI> (facility = PRI / 8,
//    severity = PRI % 8: 0 emerg ... 7 debug), so they can be compared and
//    grouped; they are absent when the line has no <PRI>.
//  - RFC 3164 fields: [facility, severity,] time, host, app, pid, message.
//    RFC 5424 fields: facility, severity, version, time, host, app, pid
//    (PROCID), msgid, structured_data, message.
//  - time is the text as written (`Oct 11 22:14:15`, `Oct  1 ...`, or RFC
//    3339); stream-window infers the year of a BSD time.
//  - An RFC 3164 tag is `app[pid]:` or `app:`; without one, app and pid are
//    null and the message is everything after the host. pid becomes a number
//    when it is one. One space after the tag's colon is dropped.
//  - RFC 5424: "-" is null for every header field; structured_data is the raw
//    text of all SD elements (`[id k="v"][id2 ...]`); a missing MSG is null; a
//    UTF-8 BOM at the start of MSG is dropped.
//  - Rejected: a <PRI> that is not 0..191, a time that is neither BSD nor RFC
//    3339, a missing host, unterminated structured data.
#include "su/formats/syslog.hpp"

#include <charconv>
#include <cstring>
#include <string>
#include <vector>

#include "su/core/calendar.hpp"

namespace su {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

class Syslog final : public LineFormat {
 public:
  std::string parse(std::string_view line, std::vector<ParsedField>& out) override {
    out.clear();
    s_ = line;
    i_ = 0;
    has_pri_ = false;
    if (i_ < s_.size() && s_[i_] == '<') {
      std::string err = pri(out);
      if (!err.empty()) return err;
      size_t d = i_;
      while (d < s_.size() && d - i_ < 3 && is_digit(s_[d])) ++d;
      if (d > i_ && d - i_ <= 2 && d < s_.size() && s_[d] == ' ' && s_[i_] != '0') return rfc5424(out, d);
    }
    return rfc3164(out);
  }

  bool had_pri() const { return has_pri_; }

 private:
  std::string pri(std::vector<ParsedField>& out) {
    size_t d = i_ + 1;
    unsigned v = 0;
    while (d < s_.size() && is_digit(s_[d]) && d - i_ <= 3) v = v * 10 + unsigned(s_[d++] - '0');
    if (d == i_ + 1 || d >= s_.size() || s_[d] != '>' || v > 191)
      return "syslog: bad priority at column 1 (expected <0> to <191>)";
    has_pri_ = true;
    i_ = d + 1;
    size_t n = std::to_chars(num_, num_ + 3, v / 8).ptr - num_;
    add_field(out, "facility", std::string_view(num_, n), true);
    num_[3] = char('0' + v % 8);
    add_field(out, "severity", std::string_view(num_ + 3, 1), true);
    return {};
  }

  std::string expected(const char* what) const {
    return std::string("syslog: expected ") + what + " at column " + std::to_string(i_ + 1);
  }

  std::string_view token() {
    size_t start = i_;
    while (i_ < s_.size() && s_[i_] != ' ') ++i_;
    return s_.substr(start, i_ - start);
  }

  bool space() {
    if (i_ >= s_.size() || s_[i_] != ' ') return false;
    while (i_ < s_.size() && s_[i_] == ' ') ++i_;
    return true;
  }

  // `Mmm dd hh:mm:ss[.frac]` (day space-padded or not) or an RFC 3339 token.
  bool timestamp(std::string_view& t) {
    const size_t start = i_;
    if (i_ + 3 <= s_.size() && is_digit(s_[i_])) {
      std::string_view tok = token();
      if (tok.size() < 10 || tok[4] != '-' || tok[7] != '-' || !is_digit(tok[3])) return false;
      t = tok;
      return true;
    }
    if (i_ + 3 > s_.size()) return false;
    bool month = false;
    for (const char* m : kMonthAbbrev) month = month || std::memcmp(m, s_.data() + i_, 3) == 0;
    if (!month) return false;
    i_ += 3;
    if (!space()) return false;
    size_t d = i_;
    while (d < s_.size() && is_digit(s_[d])) ++d;
    if (d == i_ || d - i_ > 2) return false;
    i_ = d;
    if (!space()) return false;
    if (i_ + 8 > s_.size()) return false;
    const char* c = s_.data() + i_;
    if (!(is_digit(c[0]) && is_digit(c[1]) && c[2] == ':' && is_digit(c[3]) && is_digit(c[4]) && c[5] == ':' &&
          is_digit(c[6]) && is_digit(c[7])))
      return false;
    i_ += 8;
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      while (i_ < s_.size() && is_digit(s_[i_])) ++i_;
    }
    t = s_.substr(start, i_ - start);
    return true;
  }

  std::string rfc3164(std::vector<ParsedField>& out) {
    std::string_view time, host;
    if (!timestamp(time)) return expected("a time ('Oct 11 22:14:15' or RFC 3339)");
    if (!space() || (host = token()).empty()) return expected("the host");
    add_field(out, "time", time, false);
    add_field(out, "host", host, false);
    space();
    // TAG: `app[pid]:`, `app:` or `app[pid]`, followed by a space or the end.
    std::string_view app, pid, message = s_.substr(i_);
    const size_t n = s_.size();
    size_t k = i_;
    while (k < n && s_[k] != ' ' && s_[k] != '[' && s_[k] != ':') ++k;
    size_t after = std::string_view::npos;
    std::string_view p;
    if (k > i_ && k < n && s_[k] == ':') {
      after = k + 1;
    } else if (k > i_ && k < n && s_[k] == '[') {
      size_t close = k + 1;
      while (close < n && s_[close] != ']' && s_[close] != ' ') ++close;
      if (close < n && s_[close] == ']') {
        p = s_.substr(k + 1, close - k - 1);
        after = close + 1;
        if (after < n && s_[after] == ':') ++after;
      }
    }
    if (after != std::string_view::npos && (after == n || s_[after] == ' ')) {
      app = s_.substr(i_, k - i_);
      pid = p;
      message = s_.substr(after == n ? n : after + 1);
    }
    add_field(out, "app", app, false, app.empty());
    add_field(out, "pid", pid, true, pid.empty());
    add_field(out, "message", message, false);
    return {};
  }

  std::string rfc5424(std::vector<ParsedField>& out, size_t version_end) {
    add_field(out, "version", s_.substr(i_, version_end - i_), true);
    i_ = version_end;
    static constexpr const char* kHeader[] = {"time", "host", "app", "pid", "msgid"};
    for (const char* name : kHeader) {
      std::string_view t;
      if (!space() || (t = token()).empty()) return expected(name);
      add_field(out, name, t, std::strcmp(name, "pid") == 0, t == "-");
    }
    if (!space() || i_ >= s_.size()) return expected("structured data ('-' or '[...]')");
    const size_t sd_start = i_;
    if (s_[i_] == '-') {
      ++i_;
    } else {
      while (i_ < s_.size() && s_[i_] == '[') {
        if (!sd_element())
          return "syslog: unterminated structured data starting at column " + std::to_string(sd_start + 1);
      }
      if (i_ == sd_start) return expected("structured data ('-' or '[...]')");
    }
    std::string_view sd = s_.substr(sd_start, i_ - sd_start);
    add_field(out, "structured_data", sd, false, sd == "-");
    if (i_ == s_.size()) {
      add_field(out, "message", {}, false, true);
      return {};
    }
    if (s_[i_] != ' ') return expected("a space after the structured data");
    std::string_view msg = s_.substr(i_ + 1);
    if (msg.substr(0, 3) == "\xEF\xBB\xBF") msg.remove_prefix(3);
    add_field(out, "message", msg, false);
    return {};
  }

  // One `[id param="value" ...]`; values may hold \" \\ \].
  bool sd_element() {
    bool quoted = false;
    for (++i_; i_ < s_.size(); ++i_) {
      char c = s_[i_];
      if (quoted) {
        if (c == '\\')
          ++i_;
        else if (c == '"')
          quoted = false;
      } else if (c == '"') {
        quoted = true;
      } else if (c == ']') {
        ++i_;
        return true;
      }
    }
    return false;
  }

  std::string_view s_;
  size_t i_ = 0;
  bool has_pri_ = false;
  char num_[4] = {};
};

}  // namespace

std::unique_ptr<LineFormat> make_syslog() {
  return std::make_unique<Syslog>();
}

// A line that parses, with a <PRI> or with an `app:` / `app[pid]:` tag (a
// bare "time host text" line is too weak a sign).
bool sniff_syslog(std::string_view line) {
  Syslog p;
  std::vector<ParsedField> fields;
  if (!p.parse(line, fields).empty()) return false;
  if (p.had_pri()) return true;
  for (const ParsedField& f : fields)
    if (f.name == "app") return !f.null;
  return false;
}

}  // namespace su
