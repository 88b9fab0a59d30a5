// stream-serve's access rules, as pure functions: the --listen address and
// whether it is loopback, the bearer token (read from its file's text,
// compared in constant time), and the Content-Security-Policy of its pages.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace su::serve {

struct ListenAddress {
  std::string host;  // an IPv4 or IPv6 address (no brackets) or a host name
  int port = 0;      // 0: any free port
};
// `HOST:PORT`, `[IPV6]:PORT`, `:PORT` or `PORT` (host 127.0.0.1), or `HOST`
// (port 8080). Throws su::UsageError with the reason.
ListenAddress parse_listen(std::string_view text);
// 127.0.0.0/8, ::1, ::ffff:127.x.x.x and `localhost`: only this machine can
// connect. Anything else (0.0.0.0, ::, a host name) may be reached from outside.
bool is_loopback(std::string_view host);
// `http://HOST:PORT/` (brackets around an IPv6 address).
std::string url_of(std::string_view scheme, std::string_view host, int port);

// The token in a token file's text: its first line without surrounding
// blanks. Throws su::UsageError when that is empty or holds a character
// outside printable ASCII (it must travel in a header and a URL).
std::string token_from_file_text(std::string_view text);
// The token of an `Authorization: Bearer TOKEN` header, or nothing.
std::optional<std::string_view> bearer_token(std::string_view authorization);
// a == b, in a time that depends on the lengths only, not on where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

// The Content-Security-Policy of every response: this origin only, no inline
// script, no frames, no forms, no plugins.
std::string_view content_security_policy();

}  // namespace su::serve
