// logfmt: `key=value key2="quoted \"value\"" flag`, one record per line.
//
// Decisions (for the man page):
//  - Pairs are separated by spaces or tabs. A key is any run of bytes other
//    than space, tab, '=' and '"'.
//  - A quoted value is always a string (never a number). Escapes in it:
//    \" \\ \n \r \t \/ \b \f and \uXXXX (JSON's); any other backslash is kept.
//  - An unquoted value runs to the next space or tab ('=' and '"' inside it are
//    kept). A JSON number becomes a number; `true` and `false` become booleans
//    (Go's logfmt writers print booleans that way and quote strings); anything
//    else is a string. `key=` (nothing after '=') is null; `key=""` is "".
//  - A bare key (`flag`) is true.
//  - A key seen twice keeps its first position and takes the last value, so a
//    record never has duplicate members.
//  - Rejected: `=x` (no key), a quote in a key, an unterminated quoted value,
//    text glued to a closing quote (`k="a"b`).
#include "su/formats/logfmt.hpp"

#include <cctype>
#include <string>
#include <vector>

namespace su {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads 4 hex digits at s[i]; -1 when they are not there.
long hex4(std::string_view s, size_t i) {
  if (i + 4 > s.size()) return -1;
  long v = 0;
  for (size_t k = 0; k < 4; ++k) {
    int d = hex_digit(s[i + k]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

void append_utf8(std::string& out, unsigned long cp) {
  if (cp < 0x80) {
    out.push_back(char(cp));
  } else if (cp < 0x800) {
    out.push_back(char(0xC0 | (cp >> 6)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(char(0xE0 | (cp >> 12)));
    out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(char(0xF0 | (cp >> 18)));
    out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  }
}

// Unescapes the inside of a quoted value into out (never longer than in).
void unescape(std::string_view in, std::string& out) {
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c != '\\' || i + 1 == in.size()) {
      out.push_back(c);
      continue;
    }
    char e = in[++i];
    switch (e) {
      case '"':
      case '\\':
      case '/':
        out.push_back(e);
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'u': {
        long cp = hex4(in, i + 1);
        if (cp < 0) {
          out.push_back('\\');
          out.push_back('u');
          break;
        }
        i += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && i + 2 < in.size() && in[i + 1] == '\\' && in[i + 2] == 'u') {
          long lo = hex4(in, i + 3);
          if (lo >= 0xDC00 && lo < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
          }
        }
        append_utf8(out, static_cast<unsigned long>(cp));
        break;
      }
      default:
        out.push_back('\\');
        out.push_back(e);
    }
  }
}

class Logfmt final : public LineFormat {
 public:
  std::string parse(std::string_view line, std::vector<ParsedField>& out) override {
    out.clear();
    scratch_.clear();
    scratch_.reserve(line.size());  // unescaped text is never longer: views stay valid
    const size_t n = line.size();
    size_t i = 0;
    for (;;) {
      while (i < n && is_space(line[i])) ++i;
      if (i == n) return {};
      const size_t key_start = i;
      while (i < n && !is_space(line[i]) && line[i] != '=' && line[i] != '"') ++i;
      if (i < n && line[i] == '"') return "logfmt: quote in a key at column " + std::to_string(i + 1);
      ParsedField f;
      f.name = line.substr(key_start, i - key_start);
      if (f.name.empty()) return "logfmt: '=' without a key at column " + std::to_string(i + 1);
      if (i == n || is_space(line[i])) {
        f.text = "true";
        f.raw = true;
        f.infer = false;
      } else if (++i < n && line[i] == '"') {
        const size_t start = ++i;
        bool escaped = false;
        while (i < n && line[i] != '"') {
          if (line[i] == '\\') {
            escaped = true;
            ++i;
          }
          ++i;
        }
        if (i >= n) return "logfmt: unterminated quoted value of '" + std::string(f.name) + "'";
        std::string_view inside = line.substr(start, i - start);
        ++i;
        if (i < n && !is_space(line[i]))
          return "logfmt: text after the closing quote of '" + std::string(f.name) + "' at column " +
                 std::to_string(i + 1);
        if (escaped) {
          const size_t at = scratch_.size();
          unescape(inside, scratch_);
          inside = std::string_view(scratch_).substr(at);
        }
        f.text = inside;
        f.infer = false;
      } else {
        const size_t start = i;
        while (i < n && !is_space(line[i])) ++i;
        f.text = line.substr(start, i - start);
        if (f.text.empty())
          f.null = true;
        else if (f.text == "true" || f.text == "false")
          f.raw = true;
      }
      add(out, f);
    }
  }

 private:
  static void add(std::vector<ParsedField>& out, const ParsedField& f) {
    for (ParsedField& g : out)
      if (g.name == f.name) {
        g = f;
        return;
      }
    out.push_back(f);
  }
  std::string scratch_;
};

bool key_like(std::string_view k) {
  for (char c : k) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) || c == '_' || c == '.' || c == '-' || c == '/' || c == '@' || c == ':' || u >= 0x80))
      return false;
  }
  return true;
}

}  // namespace

std::unique_ptr<LineFormat> make_logfmt() {
  return std::make_unique<Logfmt>();
}

// key=value pairs outnumber bare words, keys look like identifiers, and a
// single pair only counts when the line has no comma (`a=1,b=2` is more
// likely CSV than logfmt).
bool sniff_logfmt(std::string_view line) {
  Logfmt p;
  std::vector<ParsedField> fields;
  if (!p.parse(line, fields).empty() || fields.empty()) return false;
  size_t pairs = 0, bare = 0;
  for (const ParsedField& f : fields) {
    if (!key_like(f.name)) return false;
    (f.raw && !f.infer ? bare : pairs) += 1;
  }
  if (pairs <= bare) return false;
  return pairs >= 2 || line.find(',') == std::string_view::npos;
}

}  // namespace su
