// Access rules of stream-serve (see access.hpp).
#include "su/serve/access.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

#include "su/core/error.hpp"

namespace su::serve {
namespace {

int parse_port(std::string_view p, std::string_view text) {
  int port = -1;
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
  if (p.empty() || ec != std::errc() || end != p.data() + p.size() || port < 0 || port > 65535) {
    std::string m = "--listen: invalid port in '";
    m.append(text).append("' (expected 0 to 65535)");
    throw su::UsageError(m);
  }
  return port;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

ListenAddress parse_listen(std::string_view text) {
  ListenAddress a{"127.0.0.1", 8080};
  std::string_view host = text, port;
  if (text.empty()) throw su::UsageError("--listen: empty address");
  if (text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) throw su::UsageError("--listen: no ']' after the IPv6 address");
    host = text.substr(1, close - 1);
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') throw su::UsageError("--listen: expected ':PORT' after ']'");
      port = rest.substr(1);
      a.port = parse_port(port, text);
    }
  } else if (all_digits(text)) {
    a.port = parse_port(text, text);
    return a;
  } else {
    size_t colon = text.rfind(':');
    if (colon != std::string_view::npos && text.find(':') != colon)
      throw su::UsageError("--listen: write an IPv6 address in brackets: [::1]:8080");
    if (colon != std::string_view::npos) {
      host = text.substr(0, colon);
      a.port = parse_port(text.substr(colon + 1), text);
    }
    if (host.empty()) host = "127.0.0.1";
  }
  if (host.empty()) throw su::UsageError("--listen: empty host");
  a.host.assign(host);
  return a;
}

bool is_loopback(std::string_view host) {
  if (host == "localhost") return true;
  std::string h(host);
  in_addr v4{};
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, h.c_str(), &v6) == 1) {
    static const unsigned char loop[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    const unsigned char* b = v6.s6_addr;
    if (std::equal(b, b + 16, loop)) return true;
    return std::equal(b, b + 12, mapped) && b[12] == 127;
  }
  return false;
}

std::string url_of(std::string_view scheme, std::string_view host, int port) {
  std::string u(scheme);
  u.append("://");
  if (host.find(':') != std::string_view::npos) {
    u.push_back('[');
    u.append(host);
    u.push_back(']');
  } else {
    u.append(host);
  }
  u.push_back(':');
  u.append(std::to_string(port));
  u.push_back('/');
  return u;
}

std::string token_from_file_text(std::string_view text) {
  size_t nl = text.find('\n');
  std::string_view t = text.substr(0, nl);
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r')) t.remove_suffix(1);
  if (t.empty()) throw su::UsageError("--token: the file's first line is empty");
  for (char c : t)
    if (c <= ' ' || c > '~')
      throw su::UsageError("--token: the token may hold printable ASCII only (no blanks, no control characters)");
  return std::string(t);
}

std::optional<std::string_view> bearer_token(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() < kScheme.size()) return std::nullopt;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    char c = authorization[i];
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    if (c != kScheme[i]) return std::nullopt;
  }
  std::string_view t = authorization.substr(kScheme.size());
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  return t;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  // Every byte of the longer one is looked at; the lengths are folded in.
  const size_t n = a.size() > b.size() ? a.size() : b.size();
  unsigned diff = unsigned(a.size() != b.size());
  for (size_t i = 0; i < n; ++i) {
    const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= unsigned(x ^ y);
  }
  return diff == 0;
}

std::string_view content_security_policy() {
  return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
         "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
}

}  // namespace su::serve
