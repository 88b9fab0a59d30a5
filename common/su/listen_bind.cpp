// --listen addresses: parsing, binding the listening sockets (TCP, TLS, UDP
// with SO_RXQ_OVFL, unix), and the names of peers.
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "su/core/error.hpp"
#include "su/listen.hpp"
#include "su/tls.hpp"

namespace su {

std::string peer_name(const char* scheme, const void* p) {
  const auto& ss = *static_cast<const sockaddr_storage*>(p);
  char host[INET6_ADDRSTRLEN] = "?";
  unsigned port = 0;
  std::string s = scheme;
  s.push_back(':');
  if (ss.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    ::inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
    port = ntohs(a->sin_port);
    s.append(host);
  } else if (ss.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
    ::inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
    port = ntohs(a->sin6_port);
    s.push_back('[');
    s.append(host);
    s.push_back(']');
  }
  s.push_back(':');
  s.append(std::to_string(port));
  return s;
}

const char* ListenAddress::scheme() const {
  switch (kind) {
    case Kind::Tcp:
      return "tcp";
    case Kind::Tls:
      return "tls";
    case Kind::Udp:
      return "udp";
    case Kind::Unix:
      return "unix";
  }
  return "tcp";
}

ListenAddress ListenAddress::parse(std::string_view s) {
  ListenAddress a;
  const std::string given(s);
  if (s.substr(0, 5) == "unix:") {
    a.kind = Kind::Unix;
    a.path = std::string(s.substr(5));
    if (a.path.empty()) throw UsageError("--listen: a unix address needs a path: unix:/path");
    if (a.path.size() >= sizeof(sockaddr_un{}.sun_path))
      throw UsageError("--listen: unix socket path too long: " + a.path);
    return a;
  }
  if (s.substr(0, 6) == "tcp://") {
    s.remove_prefix(6);
  } else if (s.substr(0, 6) == "tls://") {
    a.kind = Kind::Tls;
    s.remove_prefix(6);
  } else if (s.substr(0, 6) == "udp://") {
    a.kind = Kind::Udp;
    s.remove_prefix(6);
  } else if (s.empty() || s[0] != ':') {
    throw UsageError(
        "--listen: expected tcp://HOST:PORT, tls://HOST:PORT, udp://HOST:PORT, :PORT or unix:/path, got '" + given +
        "'");
  }
  const size_t colon = s.rfind(':');
  if (colon == std::string_view::npos) throw UsageError("--listen: '" + given + "' has no port (tcp://HOST:PORT)");
  std::string_view host = s.substr(0, colon), port = s.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    throw UsageError("--listen: an IPv6 address goes in brackets: tcp://[::1]:PORT, got '" + given + "'");
  }
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos ||
      std::stoul(std::string(port)) > 65535)
    throw UsageError("--listen: bad port in '" + given + "'");
  a.host = host.empty() ? "127.0.0.1" : std::string(host);
  a.port = std::string(port);
  return a;
}

namespace {
std::string errno_text() {
  return std::strerror(errno);
}

int bind_unix(const std::string& text, const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) throw Fatal(path + ": exists and is not a socket");
    ::unlink(path.c_str());  // a socket left by an earlier run
  }
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) throw Fatal("socket: " + errno_text());
  sockaddr_un sun{};
  sun.sun_family = AF_UNIX;
  std::memcpy(sun.sun_path, path.data(), path.size());
  if (::bind(fd, reinterpret_cast<sockaddr*>(&sun), sizeof sun) < 0) {
    std::string e = errno_text();
    ::close(fd);
    throw Fatal(text + ": cannot listen: " + e);
  }
  return fd;
}

// TCP, TLS or UDP; sets *name to the address bound (`127.0.0.1:41234`).
int bind_inet(const std::string& text, const ListenAddress& a, std::string* name) {
  const bool udp = a.kind == ListenAddress::Kind::Udp;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = udp ? SOCK_DGRAM : SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* res = nullptr;
  if (int e = ::getaddrinfo(a.host.c_str(), a.port.c_str(), &hints, &res); e != 0)
    throw Fatal(text + ": " + ::gai_strerror(e));
  int fd = ::socket(res->ai_family, hints.ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  int one = 1;
  if (fd >= 0 && !udp) ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (fd >= 0 && res->ai_family == AF_INET6) ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  if (fd >= 0 && udp) {
    // Datagrams dropped for a full receive buffer are counted (reported on
    // stderr); a larger buffer rides out short stalls (best effort).
    ::setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one);
    int size = 4 << 20;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  }
  if (fd < 0 || ::bind(fd, res->ai_addr, res->ai_addrlen) < 0) {
    std::string e = errno_text();
    if (fd >= 0) ::close(fd);
    ::freeaddrinfo(res);
    throw Fatal(text + ": cannot listen: " + e);
  }
  ::freeaddrinfo(res);
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  *name = peer_name("", &ss).substr(1);
  return fd;
}
}  // namespace

void Listener::bind_all(const std::vector<std::string>& addresses) {
  for (const std::string& list : o_.allow) allow_.add(list);
  for (const std::string& text : addresses) {
    ListenAddress a = ListenAddress::parse(text);
    if (a.kind == ListenAddress::Kind::Tls && !tls_) {
      if (o_.tls_cert.empty() || o_.tls_key.empty())
        throw UsageError("--listen tls://: needs --tls-cert and --tls-key");
      tls_ = std::make_unique<TlsServer>(o_.tls_cert, o_.tls_key, o_.tls_client_ca);
    }
    Sock s;
    s.kind = a.kind;
    if (a.kind == ListenAddress::Kind::Unix) {
      s.fd = bind_unix(text, a.path);
      s.path = a.path;
      s.bound = "unix:" + a.path;
    } else {
      std::string name;
      s.fd = bind_inet(text, a, &name);
      s.bound = std::string(a.scheme()) + "://" + name;
    }
    if (a.kind != ListenAddress::Kind::Udp && ::listen(s.fd, 128) < 0) {
      std::string e = errno_text();
      ::close(s.fd);
      throw Fatal(text + ": cannot listen: " + e);
    }
    s.ready = a.kind == ListenAddress::Kind::Udp;
    bound_.push_back(s.bound);
    socks_.push_back(std::move(s));
  }
}

}  // namespace su
