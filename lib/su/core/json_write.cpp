// JSON text writers (see json_write.hpp).
#include "su/core/json_write.hpp"

#include <simdjson.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

namespace su {

namespace {
// 0: copy as is; 1: needs an escape.
constexpr std::array<uint8_t, 256> make_escape_table() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = 1;
  t['"'] = 1;
  t['\\'] = 1;
  return t;
}
constexpr auto kEscape = make_escape_table();

// Whether any of the eight bytes of w needs an escape (below 0x20, '"', '\\')
// or, unless the rest is known to be valid UTF-8, a UTF-8 check (0x80 and
// above). Exact as a yes/no (the borrow of the zero-byte test only ever
// marks bytes above a true match).
inline bool needs_escape_or_check(uint64_t w, bool utf8_valid) {
  constexpr uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
  const uint64_t below20 = (w - ones * 0x20) & ~w;
  const uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
  const uint64_t quote = (q - ones) & ~q, backslash = (b - ones) & ~b;
  return ((below20 | quote | backslash) & high) != 0 || (!utf8_valid && (w & high) != 0);
}
const char kHex[] = "0123456789abcdef";

void append_escape(std::string& out, unsigned char c) {
  switch (c) {
    case '"':
      out.append("\\\"");
      return;
    case '\\':
      out.append("\\\\");
      return;
    case '\n':
      out.append("\\n");
      return;
    case '\r':
      out.append("\\r");
      return;
    case '\t':
      out.append("\\t");
      return;
    case '\b':
      out.append("\\b");
      return;
    case '\f':
      out.append("\\f");
      return;
    default: {
      char e[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
      out.append(e, 6);
    }
  }
}

// Length of the valid UTF-8 sequence at p (1..4), or 0 when invalid.
size_t utf8_seq_len(const unsigned char* p, size_t n) {
  unsigned char c = p[0];
  if (c < 0x80) return 1;
  size_t len;
  uint32_t cp;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07;
  } else
    return 0;
  if (n < len) return 0;
  for (size_t i = 1; i < len; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return len;
}
}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  int valid = -1;  // checked at the first non-ASCII byte only: ASCII text is the common case
  size_t run = 0;  // start of the pending run of plain bytes
  for (size_t i = 0; i < n;) {
    if (i + 8 <= n) {  // eight plain bytes at a time: the common case
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (!needs_escape_or_check(w, valid == 1)) {
        i += 8;
        continue;
      }
    }
    unsigned char c = p[i];
    if (kEscape[c]) {
      out.append(s.data() + run, i - run);
      append_escape(out, c);
      run = ++i;
    } else if (c >= 0x80 && (valid < 0 ? (valid = simdjson::validate_utf8(s.data() + i, n - i)) : valid) == 0) {
      size_t len = utf8_seq_len(p + i, n - i);
      if (len == 0) {
        out.append(s.data() + run, i - run);
        char e[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out.append(e, 6);
        run = ++i;
      } else {
        i += len;
      }
    } else {
      ++i;
    }
  }
  out.append(s.data() + run, n - run);
  out.push_back('"');
}

void append_base64(std::string& out, std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = bytes.size(), i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = uint32_t(p[i]) << 16 | uint32_t(p[i + 1]) << 8 | p[i + 2];
    char q[4] = {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], kAlphabet[v & 63]};
    out.append(q, 4);
  }
  if (n - i == 1) {
    uint32_t v = uint32_t(p[i]) << 16;
    char q[4] = {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], '=', '='};
    out.append(q, 4);
  } else if (n - i == 2) {
    uint32_t v = uint32_t(p[i]) << 16 | uint32_t(p[i + 1]) << 8;
    char q[4] = {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], '='};
    out.append(q, 4);
  }
}

bool decode_base64(std::string_view text, std::string& out) {
  static constexpr auto kValues = [] {
    std::array<int8_t, 256> t{};
    t.fill(-1);
    const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i) t[uint8_t(a[i])] = int8_t(i);
    return t;
  }();
  if (text.size() % 4) return false;
  size_t pad = 0;
  if (!text.empty() && text.back() == '=') pad = text[text.size() - 2] == '=' ? 2 : 1;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  out.reserve(out.size() + text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    uint32_t v = 0;
    for (size_t j = 0; j < 4; ++j) {
      int8_t d = kValues[p[i + j]];
      if (d < 0) {
        if (!(last && j >= 4 - pad)) return false;
        d = 0;
      }
      v = v << 6 | uint32_t(d);
    }
    out.push_back(char(v >> 16));
    if (!last || pad < 2) out.push_back(char(v >> 8 & 255));
    if (!last || pad < 1) out.push_back(char(v & 255));
    // The bits under the padding must be zero (one encoding per byte string).
    if (last && ((pad == 1 && (v & 255)) || (pad == 2 && (v & 0xffff)))) return false;
  }
  return true;
}

void append_int(std::string& out, int64_t v) {
  char tmp[24];
  auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
  out.append(tmp, size_t(r.ptr - tmp));
}

void append_double(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out.append("null");
    return;
  }
  char tmp[32];
  // Beyond the int64 range, shortest round-trip text may be all digits
  // (18446744073709551616), which readers take for an integer out of range:
  // such doubles always get an exponent.
  auto r = v >= 0x1p63 || v < -0x1p63 ? std::to_chars(tmp, tmp + sizeof tmp, v, std::chars_format::scientific)
                                      : std::to_chars(tmp, tmp + sizeof tmp, v);
  out.append(tmp, size_t(r.ptr - tmp));
}

bool append_members_to_object(std::string& out, std::string_view raw, std::string_view members) {
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\r')) raw.remove_suffix(1);
  if (raw.empty() || raw.back() != '}') return false;
  std::string_view head = raw.substr(0, raw.size() - 1);
  out.append(head);
  if (members.empty()) {
    out.push_back('}');
    return true;
  }
  // Is the object empty? Look back past white space for '{'.
  size_t k = head.size();
  while (k > 0 && (head[k - 1] == ' ' || head[k - 1] == '\t' || head[k - 1] == '\n' || head[k - 1] == '\r')) --k;
  if (!(k > 0 && head[k - 1] == '{')) out.push_back(',');
  out.append(members);
  out.push_back('}');
  return true;
}

}  // namespace su
