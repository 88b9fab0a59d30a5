// Connections for stream-parse --listen: poll() over every socket, one
// connection read at a time (round robin), complete records handed out per
// source, non-blocking TLS handshakes, UDP datagrams into a source per peer,
// a cap on the bytes held across connections, a short drain after a stop
// signal.
#include "su/listen.hpp"

#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "su/core/error.hpp"
#include "su/signals.hpp"
#include "su/tls.hpp"

namespace su {
namespace {
constexpr size_t kConnRead = size_t(64) << 10;
constexpr size_t kDatagram = size_t(64) << 10;
constexpr uint64_t kRefusalsLogged = 20;  // then counted only
constexpr size_t kDeniedLogged = 1024;    // --allow: addresses remembered as logged

int64_t now_ms() {
  timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

std::string errno_text() {
  return std::strerror(errno);
}
}  // namespace

struct Listener::Conn {
  int fd = -1;  // -1: a UDP peer
  std::unique_ptr<TlsSession> tls;
  short events = POLLIN;  // what the socket is waited for (a TLS step may want POLLOUT)
  bool ready = false;     // TLS: decrypted bytes held, read without polling
  bool udp = false;
  bool refused = false;  // failed its TLS handshake: closed without a source's end
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
  int64_t started_ms = 0;
};

Listener::Listener(const std::vector<std::string>& addresses, ListenOptions o) : o_(std::move(o)) {
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) throw Fatal("eventfd: " + errno_text());
  bind_all(addresses);
}

Listener::~Listener() {
  warn_ = nullptr;  // whoever printed warnings may be gone
  stop_accepting();
  close_udp();
  for (auto& c : conns_)
    if (c->fd >= 0) ::close(c->fd);
  for (auto& a : adopted_) ::close(a.first);
  ::close(wake_fd_);
}

uint64_t Listener::dropped() const {
  uint64_t n = 0;
  for (const Sock& s : socks_) n += s.dropped;
  return n;
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
  for (size_t i = 0; i < socks_.size();) {
    Sock& s = socks_[i];
    if (s.kind == ListenAddress::Kind::Udp) {  // read on in the drain: its datagrams were sent
      ++i;
      continue;
    }
    // Clients already connected (in the backlog) have sent data: they are
    // taken and drained, not reset.
    if (draining_) accept_on(s);
    ::close(s.fd);
    if (s.kind == ListenAddress::Kind::Unix) ::unlink(s.path.c_str());
    socks_.erase(socks_.begin() + ptrdiff_t(i));
  }
}

void Listener::close_udp() {
  for (Sock& s : socks_) {
    count_drops(s);
    report_drops(s, true);
    ::close(s.fd);
  }
  socks_.clear();
}

std::vector<uint32_t> Listener::take_ended() {
  std::vector<uint32_t> e;
  e.swap(ended_);
  return e;
}

void Listener::refuse(const std::string& name, const std::string& why) {
  ++refused_;
  if (!warn_ || refusals_logged_ > kRefusalsLogged) return;
  if (++refusals_logged_ <= kRefusalsLogged)
    warn_(name + ": refused: " + why);
  else
    warn_("more clients refused: counted, not logged");
}

bool Listener::allowed(const void* p, const char* scheme) {
  if (allow_.empty()) return true;
  const auto& ss = *static_cast<const sockaddr_storage*>(p);
  bool ok = false;
  if (ss.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    ok = allow_.allows(reinterpret_cast<const uint8_t*>(&a->sin_addr), 4);
  } else if (ss.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
    ok = allow_.allows(reinterpret_cast<const uint8_t*>(&a->sin6_addr), 16);
  }
  if (ok) return true;
  ++refused_;
  std::string name = peer_name(scheme, p);
  std::string host = name.substr(0, name.rfind(':'));  // once per address, whatever the port
  if (warn_ && denied_seen_.size() < kDeniedLogged && denied_seen_.insert(host).second) {
    warn_(host + ": refused: not in --allow (further " + (std::string(scheme) == "udp" ? "datagrams" : "connections") +
          " from it are dropped without a warning)");
    if (denied_seen_.size() == kDeniedLogged) warn_("more addresses refused by --allow: counted, not logged");
  }
  return false;
}

void Listener::accept_on(Sock& s) {
  const ListenAddress::Kind kind = s.kind;
  const char* scheme = kind == ListenAddress::Kind::Tls ? "tls" : "tcp";
  for (;;) {  // every client waiting (the listening socket does not block)
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    int c = ::accept4(s.fd, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (c < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      // Out of descriptors: the server goes on with the clients it has.
      if (errno != EAGAIN && errno != EWOULDBLOCK && warn_) warn_("accept: " + errno_text());
      return;
    }
    if (kind != ListenAddress::Kind::Unix && !allowed(&ss, scheme)) {
      ::close(c);
      continue;
    }
    std::string name = kind == ListenAddress::Kind::Unix ? "unix:" + s.path + "#" + std::to_string(++unix_clients_)
                                                         : peer_name(scheme, &ss);
    if (conns_.size() - udp_peers_.size() >= o_.max_clients) {
      ::close(c);
      refuse(name, "already " + std::to_string(o_.max_clients) + " clients (--max-clients)");
      continue;
    }
    auto conn = std::make_unique<Conn>();
    conn->fd = c;
    conn->name = std::move(name);
    conn->serial = ++serial_;
    conn->active_ms = conn->started_ms = now_ms();
    if (kind == ListenAddress::Kind::Tls) conn->tls = tls_->session(c);
    conns_.push_back(std::move(conn));
  }
}

void Listener::count_drops(Sock& s) {
  // SO_RXQ_OVFL says the count only with a datagram that came after a drop:
  // when the drops happened while the queue was full and nothing came since,
  // the socket's own count (SO_MEMINFO) says it.
  uint32_t info[SK_MEMINFO_VARS] = {};
  socklen_t len = sizeof info;
  if (::getsockopt(s.fd, SOL_SOCKET, SO_MEMINFO, info, &len) == 0 && len > SK_MEMINFO_DROPS * sizeof(uint32_t))
    s.dropped = std::max(s.dropped, info[SK_MEMINFO_DROPS]);
}

void Listener::report_drops(Sock& s, bool final) {
  if (s.dropped == s.reported || !warn_) return;
  const int64_t now = now_ms();
  if (!final && now < s.report_ms) return;
  warn_(s.bound + ": " + std::to_string(s.dropped) +
        " datagrams dropped by the kernel so far (its receive buffer was full: they came faster than they were read)");
  s.reported = s.dropped;
  s.report_ms = now + 1000;
}

bool Listener::read_datagram(Sock& s, Chunk& out) {
  char data[kDatagram + 1];
  char control[CMSG_SPACE(sizeof(uint32_t))];
  sockaddr_storage ss{};
  iovec iov{data, sizeof data};
  msghdr m{};
  m.msg_name = &ss;
  m.msg_namelen = sizeof ss;
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  m.msg_control = control;
  m.msg_controllen = sizeof control;
  ssize_t n = ::recvmsg(s.fd, &m, MSG_DONTWAIT);
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && warn_) warn_(s.bound + ": " + errno_text());
    s.ready = false;
    count_drops(s);  // the queue is empty: what was dropped while it was full
    report_drops(s, false);
    return false;
  }
  for (cmsghdr* c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL)
      std::memcpy(&s.dropped, CMSG_DATA(c), sizeof s.dropped);
  report_drops(s, false);
  if (!allowed(&ss, "udp") || n == 0) return false;
  std::string name = peer_name("udp", &ss);
  if (m.msg_flags & MSG_TRUNC) {
    refuse(name, "a datagram over 64 KiB (dropped)");
    return false;
  }
  Conn* c = nullptr;
  if (auto it = udp_peers_.find(name); it != udp_peers_.end()) {
    c = it->second;
  } else {
    if (udp_peers_.size() >= o_.max_clients) {
      // The peer heard from least recently ends (its buffer is empty: a
      // datagram is handed out whole), making room.
      auto oldest = std::min_element(udp_peers_.begin(), udp_peers_.end(), [](const auto& a, const auto& b) {
        return a.second->active_ms < b.second->active_ms;
      });
      oldest->second->eof = true;
      udp_peers_.erase(oldest);
    }
    auto conn = std::make_unique<Conn>();
    conn->udp = true;
    conn->name = name;
    conn->serial = ++serial_;
    c = conn.get();
    conns_.push_back(std::move(conn));
    udp_peers_.emplace(std::move(name), c);
  }
  // A datagram ends its last line.
  c->buf.append(data, size_t(n));
  if (c->buf.back() != '\n') c->buf.push_back('\n');
  c->active_ms = now_ms();
  return chunk_of(*c, out);
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
  bool too_long = false;
  if (end > o_.max_line && !c.eof) {
    // Complete lines, one of which may be over --max-line: hand out up to the
    // end of the first such line (the reader rejects it), then close.
    const char* b = c.buf.data();
    for (size_t at = 0; at < end;) {
      const char* nl = static_cast<const char*>(std::memchr(b + at, '\n', end - at));
      const size_t stop = nl ? size_t(nl - b) : end;
      if (stop - at > o_.max_line) {
        end = std::min(stop + 1, end);
        c.buf.resize(end);
        too_long = true;
        break;
      }
      at = stop + 1;
    }
  } else if (end == 0 && !c.eof && c.buf.size() > o_.max_line) {
    end = c.buf.size();  // no line end yet: the reader rejects the line (its first bytes)
    too_long = true;
  }
  if (too_long) {
    // The connection is closed, as it could hold this server's memory.
    if (warn_) warn_(c.name + ": closed: line longer than --max-line");
    if (c.fd >= 0) ::shutdown(c.fd, SHUT_RDWR);
    c.eof = c.last = true;
    c.forced = true;
    c.scanned = 0;
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

bool Listener::service(Conn& c) {
  if (c.tls && !c.tls->handshaken()) {
    switch (c.tls->handshake()) {
      case TlsSession::Status::Done:
        break;  // the client's first bytes may have come with its last handshake message
      case TlsSession::Status::WantRead:
        c.events = POLLIN;
        return false;
      case TlsSession::Status::WantWrite:
        c.events = POLLOUT;
        return false;
      case TlsSession::Status::Closed:
      case TlsSession::Status::Failed:
        refuse(c.name, "TLS handshake failed: " + c.tls->error());
        c.refused = c.eof = true;
        return true;
    }
  }
  const size_t old = c.buf.size();
  c.buf.resize(old + kConnRead);
  size_t got = 0;
  if (c.tls) {
    c.events = POLLIN;
    for (;;) {  // a TLS record at a time, until the socket has no more or the room is full
      size_t n = 0;
      TlsSession::Status st = c.tls->read(c.buf.data() + old + got, kConnRead - got, &n);
      got += n;
      if (st == TlsSession::Status::Done && got < kConnRead) continue;
      if (st == TlsSession::Status::WantWrite) c.events = POLLOUT;
      if (st == TlsSession::Status::Closed) c.eof = true;
      if (st == TlsSession::Status::Failed) {
        if (warn_) warn_(c.name + ": TLS error: " + c.tls->error());
        c.eof = true;  // what came is kept
      }
      break;
    }
    c.ready = !c.eof && c.tls->pending();
  } else {
    ssize_t n;
    do {
      n = ::read(c.fd, c.buf.data() + old, kConnRead);
    } while (n < 0 && errno == EINTR && !stop_requested());
    if (n > 0) got = size_t(n);
    if (n == 0) c.eof = true;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      if (warn_ && errno != ECONNRESET) warn_(c.name + ": read error: " + errno_text());
      c.eof = true;  // ended (a reset counts as an end: what came is kept)
    }
  }
  c.buf.resize(old + got);
  if (got > 0) c.active_ms = now_ms();
  return got > 0 || c.eof;
}

int Listener::expire_idle() {
  const int64_t now = now_ms();
  int64_t next = -1;
  for (auto& c : conns_) {
    if (c->eof || c->adopted) continue;  // an HTTP body: its server keeps the time
    int64_t deadline;
    const char* why = nullptr;
    if (c->tls && !c->tls->handshaken()) {
      deadline = c->started_ms + o_.handshake_ms;
      why = "TLS handshake not done in time";
    } else if (c->udp) {
      deadline = c->active_ms + (o_.client_timeout_ms > 0 ? o_.client_timeout_ms : o_.udp_idle_ms);
    } else if (o_.client_timeout_ms > 0) {
      deadline = c->active_ms + o_.client_timeout_ms;
    } else {
      continue;
    }
    const int64_t left = deadline - now;
    if (left > 0) {
      if (next < 0 || left < next) next = left;
      continue;
    }
    c->eof = true;  // what it sent is handed out; a partial last line is a record
    if (c->udp) {
      udp_peers_.erase(c->name);  // a peer's source ends quietly: the next datagram starts another
    } else if (why) {
      refuse(c->name, why);
      c->refused = true;
      c->forced = true;
      ::shutdown(c->fd, SHUT_RDWR);
    } else {
      if (warn_) warn_(c->name + ": closed: nothing received for --client-timeout");
      c->forced = true;
      ::shutdown(c->fd, SHUT_RDWR);
    }
  }
  return int(std::min<int64_t>(next, 1 << 30));
}

void Listener::close_conn(size_t i) {
  Conn& c = *conns_[i];
  if (c.fd >= 0) ::close(c.fd);
  if (c.udp) {
    auto it = udp_peers_.find(c.name);
    if (it != udp_peers_.end() && it->second == &c) udp_peers_.erase(it);
  }
  if (!c.refused) {
    ended_.push_back(c.serial);
    if (hooks_.ended) hooks_.ended(c.serial, c.line, c.forced);
  }
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
  std::vector<size_t> who;  // p[k] is conns_[who[k - nsocks]]
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
      close_udp();
      for (auto& c : conns_) {
        if (!c->eof) c->forced = true;
        c->eof = true;  // a partial last line is a record: its source ends here
      }
      udp_peers_.clear();
      if (conns_.empty()) {
        if (refused_ > 0 && warn_)
          warn_(std::to_string(refused_) + " connections or datagrams refused in all (--allow, --max-clients, TLS)");
        return ReadStatus::Interrupted;
      }
      continue;
    }
    // --max-buffered: over it, only the connection holding the most is read.
    size_t held = 0, most = 0;
    for (size_t i = 0; i < conns_.size(); ++i) {
      held += conns_[i]->buf.size();
      if (conns_[i]->buf.size() > conns_[most]->buf.size()) most = i;
    }
    const bool over = held > o_.max_buffered;
    if (over && !over_cap_warned_ && warn_) {
      over_cap_warned_ = true;
      warn_(
          "clients hold over --max-buffered in partial lines: reading only the one that holds most until it "
          "ends its line");
    }
    p.clear();
    who.clear();
    bool ready = false;
    for (const Sock& s : socks_) {
      p.push_back({s.fd, POLLIN, 0});
      ready |= s.ready;
    }
    const size_t nsocks = p.size();
    p.push_back({wake_fd_, POLLIN, 0});  // adopt(): an HTTP body came
    const size_t first_conn = p.size();
    for (size_t i = 0; i < conns_.size(); ++i) {
      const Conn& c = *conns_[i];
      if (c.udp || (over && i != most)) continue;
      p.push_back({c.fd, c.events, 0});
      who.push_back(i);
      ready |= c.ready;
    }
    if (out_fd >= 0) p.push_back({out_fd, 0, 0});
    int wait = 0;
    if (waited && !ready) {
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
    if (!ready && (r == 0 || (r == 1 && out_fd >= 0 && p.back().revents))) {
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
    // Datagrams and connections take turns, so a UDP flood cannot starve
    // the TCP clients (nor they the datagrams).
    bool from_udp = false;
    auto datagrams = [&] {
      for (size_t i = 0; i < nsocks; ++i) {
        Sock& s = socks_[i];
        if (s.kind != ListenAddress::Kind::Udp || (!p[i].revents && !s.ready)) continue;
        s.ready = true;  // read until the socket has no more, a datagram per call
        if (read_datagram(s, out)) return from_udp = true;
      }
      return false;
    };
    // Round robin over the connections that have something to read (the
    // accepted ones are polled next time).
    auto connections = [&] {
      const size_t n = who.size();
      for (size_t k = 0; k < n; ++k) {
        const size_t j = (rr_ + k) % n;
        Conn& c = *conns_[who[j]];
        if (!p[first_conn + j].revents && !c.ready) continue;
        if (service(c) && chunk_of(c, out)) {
          rr_ = (j + 1) % n;
          return true;
        }
      }
      return false;
    };
    for (size_t i = 0; i < nsocks; ++i)
      if (socks_[i].kind != ListenAddress::Kind::Udp && p[i].revents) accept_on(socks_[i]);
    if (udp_turn_ ? (datagrams() || connections()) : (connections() || datagrams())) {
      udp_turn_ = !from_udp;
      return ReadStatus::Line;
    }
    if (p[nsocks].revents) take_adopted();
    waited = false;  // something happened: look again without waiting first
  }
}

}  // namespace su
