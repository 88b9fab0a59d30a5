// Listening sockets and connections for stream-parse --listen: poll() over
// every socket, one connection read at a time (round robin), complete
// records handed out per connection, a short drain after a stop signal.
#include "su/listen.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "su/core/error.hpp"
#include "su/signals.hpp"

namespace su {
namespace {
constexpr size_t kConnRead = size_t(64) << 10;

int64_t now_ms() {
  timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

std::string errno_text() {
  return std::strerror(errno);
}

// `tcp:127.0.0.1:53122`, `tcp:[::1]:53122`.
std::string peer_name(const sockaddr_storage& ss) {
  char host[INET6_ADDRSTRLEN] = "?";
  unsigned port = 0;
  std::string s = "tcp:";
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
}  // namespace

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
  } else if (s.empty() || s[0] != ':') {
    throw UsageError("--listen: expected tcp://HOST:PORT, :PORT or unix:/path, got '" + given + "'");
  }
  const size_t colon = s.rfind(':');
  if (colon == std::string_view::npos) throw UsageError("--listen: '" + given + "' has no port (tcp://HOST:PORT)");
  std::string_view host = s.substr(0, colon), port = s.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos ||
      std::stoul(std::string(port)) > 65535)
    throw UsageError("--listen: bad port in '" + given + "'");
  a.host = host.empty() ? "127.0.0.1" : std::string(host);
  a.port = std::string(port);
  return a;
}

struct Listener::Conn {
  int fd = -1;
  std::string name;
  uint32_t serial = 0;
  uint64_t line = 0;
  std::string buf;
  size_t handed = 0;      // bytes at the front handed out in the last chunk
  size_t scanned = 0;     // bytes at the front known to hold no record end
  int parity = 0;         // quote parity at buf[scanned]
  bool eof = false;       // nothing more to read: hand out the rest, then close
  bool last = false;      // the rest was handed out
  bool forced = false;    // ended here, not by its sender
  bool adopted = false;   // from adopt(): its sender keeps its own time
  int64_t active_ms = 0;  // when it last sent something
};

Listener::Listener(const std::vector<std::string>& addresses, ListenOptions o) : o_(o) {
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) throw Fatal("eventfd: " + errno_text());
  for (const std::string& text : addresses) {
    ListenAddress a = ListenAddress::parse(text);
    Sock s;
    if (a.kind == ListenAddress::Kind::Unix) {
      struct stat st;
      if (::lstat(a.path.c_str(), &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) throw Fatal(a.path + ": exists and is not a socket");
        ::unlink(a.path.c_str());  // a socket left by an earlier run
      }
      s.fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
      if (s.fd < 0) throw Fatal("socket: " + errno_text());
      sockaddr_un sun{};
      sun.sun_family = AF_UNIX;
      std::memcpy(sun.sun_path, a.path.data(), a.path.size());
      if (::bind(s.fd, reinterpret_cast<sockaddr*>(&sun), sizeof sun) < 0) {
        std::string e = errno_text();
        ::close(s.fd);
        throw Fatal(text + ": cannot listen: " + e);
      }
      s.unix_socket = true;
      s.path = a.path;
      bound_.push_back("unix:" + a.path);
    } else {
      addrinfo hints{};
      hints.ai_family = AF_UNSPEC;
      hints.ai_socktype = SOCK_STREAM;
      hints.ai_flags = AI_PASSIVE;
      addrinfo* res = nullptr;
      if (int e = ::getaddrinfo(a.host.c_str(), a.port.c_str(), &hints, &res); e != 0)
        throw Fatal(text + ": " + ::gai_strerror(e));
      s.fd = ::socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
      int one = 1;
      if (s.fd >= 0) ::setsockopt(s.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
      if (s.fd >= 0 && res->ai_family == AF_INET6) ::setsockopt(s.fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
      if (s.fd < 0 || ::bind(s.fd, res->ai_addr, res->ai_addrlen) < 0) {
        std::string e = errno_text();
        if (s.fd >= 0) ::close(s.fd);
        ::freeaddrinfo(res);
        throw Fatal(text + ": cannot listen: " + e);
      }
      ::freeaddrinfo(res);
      sockaddr_storage ss{};
      socklen_t len = sizeof ss;
      ::getsockname(s.fd, reinterpret_cast<sockaddr*>(&ss), &len);
      std::string name = peer_name(ss);  // tcp:HOST:PORT
      bound_.push_back("tcp://" + name.substr(4));
    }
    if (::listen(s.fd, 128) < 0) {
      std::string e = errno_text();
      ::close(s.fd);
      throw Fatal(text + ": cannot listen: " + e);
    }
    socks_.push_back(std::move(s));
  }
}

Listener::~Listener() {
  stop_accepting();
  for (auto& c : conns_) ::close(c->fd);
  for (auto& a : adopted_) ::close(a.first);
  ::close(wake_fd_);
}

void Listener::adopt(int fd, std::string name) {
  {
    std::lock_guard<std::mutex> lock(adopt_mu_);
    adopted_.emplace_back(fd, std::move(name));
  }
  const uint64_t one = 1;
  (void)!::write(wake_fd_, &one, sizeof one);
}

void Listener::take_adopted() {
  uint64_t n;
  (void)!::read(wake_fd_, &n, sizeof n);
  std::vector<std::pair<int, std::string>> a;
  {
    std::lock_guard<std::mutex> lock(adopt_mu_);
    a.swap(adopted_);
  }
  for (auto& [fd, name] : a) {
    auto conn = std::make_unique<Conn>();
    conn->fd = fd;
    conn->name = std::move(name);
    conn->serial = ++serial_;
    conn->active_ms = now_ms();
    conn->adopted = true;
    if (hooks_.started) hooks_.started(conn->serial, conn->name);
    conns_.push_back(std::move(conn));
  }
}

void Listener::stop_accepting() {
  for (Sock& s : socks_) {
    // Clients already connected (in the backlog) have sent data: they are
    // taken and drained, not reset.
    if (draining_) accept_on(s.fd, s.unix_socket, s.path);
    ::close(s.fd);
    if (s.unix_socket) ::unlink(s.path.c_str());
  }
  socks_.clear();
}

std::vector<uint32_t> Listener::take_ended() {
  std::vector<uint32_t> e;
  e.swap(ended_);
  return e;
}

void Listener::accept_on(int fd, bool unix_socket, const std::string& unix_path) {
  for (;;) {  // every client waiting (the listening socket does not block)
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    int c = ::accept4(fd, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_CLOEXEC);
    if (c < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      // Out of descriptors: the server goes on with the clients it has.
      if (errno != EAGAIN && errno != EWOULDBLOCK && warn_) warn_("accept: " + errno_text());
      return;
    }
    std::string name = unix_socket ? "unix:" + unix_path + "#" + std::to_string(++unix_clients_) : peer_name(ss);
    if (conns_.size() >= o_.max_clients) {
      ::close(c);
      if (++refused_ <= 10 && warn_)
        warn_(name + ": refused: already " + std::to_string(o_.max_clients) + " clients (--max-clients)");
      continue;
    }
    auto conn = std::make_unique<Conn>();
    conn->fd = c;
    conn->name = std::move(name);
    conn->serial = ++serial_;
    conn->active_ms = now_ms();
    conns_.push_back(std::move(conn));
  }
}

size_t Listener::record_end(Conn& c) {
  const char* b = c.buf.data();
  const size_t n = c.buf.size();
  size_t end = 0;
  if (!quote_) {
    const void* p = n > c.scanned ? ::memrchr(b + c.scanned, '\n', n - c.scanned) : nullptr;
    if (p) end = size_t(static_cast<const char*>(p) - b) + 1;
  } else {
    int parity = c.parity;
    for (size_t i = c.scanned; i < n; ++i) {
      if (b[i] == quote_) {
        parity ^= 1;
      } else if (b[i] == '\n' && parity == 0) {
        end = i + 1;
      }
    }
    c.parity = parity;
  }
  c.scanned = n - end;  // after the front is handed out and erased
  return end;
}

bool Listener::chunk_of(Conn& c, Chunk& out) {
  size_t end = record_end(c);
  if (end == 0 && !c.eof && c.buf.size() > o_.max_line) {
    // A line longer than --max-line: the reader rejects it (its first bytes);
    // the connection is closed, as it could hold this server's memory.
    if (warn_) warn_(c.name + ": closed: line longer than --max-line");
    ::shutdown(c.fd, SHUT_RDWR);
    c.eof = true;
    c.forced = true;
  }
  if (end == 0 && c.eof) {
    if (c.buf.empty()) return false;
    end = c.buf.size();
    c.last = true;
  }
  if (end == 0) return false;
  out.bytes = std::string_view(c.buf.data(), end);
  out.name = c.name;
  out.serial = c.serial;
  out.line = c.line;
  out.last = c.last;
  c.handed = end;
  prev_ = c.serial;
  return true;
}

bool Listener::read_conn(Conn& c) {
  const size_t old = c.buf.size();
  c.buf.resize(old + kConnRead);
  ssize_t n;
  do {
    n = ::read(c.fd, c.buf.data() + old, kConnRead);
  } while (n < 0 && errno == EINTR && !stop_requested());
  c.buf.resize(old + size_t(std::max<ssize_t>(n, 0)));
  c.active_ms = now_ms();
  if (n <= 0) {
    if (n < 0 && errno == EINTR) return false;
    if (n < 0 && warn_ && errno != ECONNRESET) warn_(c.name + ": read error: " + errno_text());
    c.eof = true;  // ended (a reset counts as an end: what came is kept)
  }
  return true;
}

int Listener::expire_idle() {
  if (o_.client_timeout_ms <= 0) return -1;
  const int64_t now = now_ms();
  int64_t next = -1;
  for (auto& c : conns_) {
    if (c->eof || c->adopted) continue;
    const int64_t left = c->active_ms + o_.client_timeout_ms - now;
    if (left <= 0) {
      if (warn_) warn_(c->name + ": closed: nothing received for --client-timeout");
      ::shutdown(c->fd, SHUT_RDWR);
      c->eof = true;  // what it sent is handed out; a partial last line is a record
      c->forced = true;
    } else if (next < 0 || left < next) {
      next = left;
    }
  }
  return int(std::min<int64_t>(next, 1 << 30));
}

void Listener::close_conn(size_t i) {
  ::close(conns_[i]->fd);
  ended_.push_back(conns_[i]->serial);
  if (hooks_.ended) hooks_.ended(conns_[i]->serial, conns_[i]->line, conns_[i]->forced);
  conns_.erase(conns_.begin() + ptrdiff_t(i));
  if (rr_ > i) --rr_;
}

ReadStatus Listener::next(Chunk& out, uint64_t lines_done, int timeout_ms, int out_fd,
                          const std::function<void()>& before_block) {
  if (hooks_.handed) hooks_.handed(prev_);
  // The previous chunk was handed out: drop its bytes.
  for (size_t i = 0; i < conns_.size() && prev_; ++i) {
    Conn& c = *conns_[i];
    if (c.serial != prev_) continue;
    c.line = lines_done;
    if (c.last) {
      close_conn(i);
    } else {
      c.buf.erase(0, c.handed);
      c.handed = 0;
    }
    break;
  }
  prev_ = 0;
  bool waited = false;
  std::vector<pollfd> p;
  for (;;) {
    if (stop_requested() && !draining_) {
      draining_ = true;
      stop_accepting();
      if (hooks_.stopping) hooks_.stopping();
      drain_end_ms_ = now_ms() + o_.drain_ms;
    }
    const int idle_ms = expire_idle();
    // Connections that ended: their rest first, then they are closed.
    for (size_t i = 0; i < conns_.size();) {
      Conn& c = *conns_[i];
      if (c.eof && chunk_of(c, out)) return ReadStatus::Line;
      if (c.eof)
        close_conn(i);
      else
        ++i;
    }
    if (draining_ && (now_ms() >= drain_end_ms_ || stop_count() > 1)) {
      take_adopted();
      for (auto& c : conns_) {
        if (!c->eof) c->forced = true;
        c->eof = true;  // a partial last line is a record: its source ends here
      }
      if (conns_.empty()) return ReadStatus::Interrupted;
      continue;
    }
    p.clear();
    for (const Sock& s : socks_) p.push_back({s.fd, POLLIN, 0});
    p.push_back({wake_fd_, POLLIN, 0});
    for (const auto& c : conns_) p.push_back({c->fd, POLLIN, 0});
    if (out_fd >= 0) p.push_back({out_fd, 0, 0});
    int wait = 0;
    if (waited) {
      wait = timeout_ms;
      if (idle_ms >= 0 && (wait < 0 || idle_ms < wait)) wait = idle_ms + 1;
      if (draining_) wait = int(std::clamp<int64_t>(drain_end_ms_ - now_ms(), 0, o_.drain_quiet_ms));
    }
    int r = ::poll(p.data(), nfds_t(p.size()), wait);
    if (r < 0) {
      if (errno == EINTR) continue;
      throw Fatal(std::string("poll: ") + errno_text());
    }
    if (out_fd >= 0 && (p.back().revents & (POLLERR | POLLHUP))) throw BrokenPipe();
    if (r == 0 || (r == 1 && out_fd >= 0 && p.back().revents)) {
      if (!waited) {
        if (before_block) before_block();
        waited = true;
        continue;
      }
      if (draining_) {
        drain_end_ms_ = 0;  // quiet: the drain is over
        continue;
      }
      if (timeout_ms >= 0 && wait == timeout_ms) return ReadStatus::Timeout;
      continue;
    }
    const size_t nsocks = socks_.size() + 1;  // and the wake fd
    for (size_t i = 0; i + 1 < nsocks; ++i)
      if (p[i].revents) accept_on(socks_[i].fd, socks_[i].unix_socket, socks_[i].path);
    // Round robin over the connections that have something to read (the
    // accepted ones are polled next time).
    const size_t n = p.size() - nsocks - (out_fd >= 0);
    for (size_t k = 0; k < n; ++k) {
      const size_t i = (rr_ + k) % n;
      if (!p[nsocks + i].revents) continue;
      Conn& c = *conns_[i];
      if (read_conn(c) && chunk_of(c, out)) {
        rr_ = (i + 1) % std::max<size_t>(n, 1);
        return ReadStatus::Line;
      }
    }
    if (p[nsocks - 1].revents) take_adopted();
    waited = false;  // something happened: look again without waiting first
  }
}

}  // namespace su
