// Network sources (stream-parse --listen, CONTRACT 8): listening sockets and
// their connections. Each connection (TCP, TLS, unix) or UDP peer is a source
// of its own and keeps its partial line in its own buffer; the input reader
// (su::InputReader) is handed one source's complete lines at a time, so lines
// are never cut or mixed. Sockets are read only when the reader asks for more
// (back-pressure: while stdout blocks, nothing is read and TCP slows the
// senders; UDP datagrams the kernel then drops are counted and reported).
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "su/core/line.hpp"
#include "su/net/cidr.hpp"

namespace su {

class TlsServer;

// `tcp:127.0.0.1:53122`, `udp:[::1]:53122`: a source's name from its
// scheme and a sockaddr_storage (IPv4 or IPv6).
std::string peer_name(const char* scheme, const void* sockaddr_storage_p);

// A parsed --listen address.
struct ListenAddress {
  enum class Kind { Tcp, Tls, Udp, Unix };
  Kind kind = Kind::Tcp;
  std::string host;  // tcp, tls, udp: numeric or name ("127.0.0.1" for a bare ":PORT")
  std::string port;
  std::string path;  // unix
  // `tcp://HOST:PORT`, `tcp://[V6]:PORT`, `:PORT` (tcp on 127.0.0.1),
  // `tls://HOST:PORT`, `udp://HOST:PORT`, `unix:/path`. Throws
  // su::UsageError with the reason.
  static ListenAddress parse(std::string_view s);
  // "tcp", "tls", "udp" or "unix": the start of its sources' names.
  const char* scheme() const;
};

struct ListenOptions {
  size_t max_clients = 1024;           // more connections are closed at accept (and UDP peers)
  size_t max_line = size_t(64) << 20;  // a longer line is rejected and its connection closed
  // Bytes of partial lines held across every connection: over it, only the
  // connection holding the most is read (it ends its line or reaches
  // max_line), so memory stays near max_buffered + max_line.
  size_t max_buffered = size_t(256) << 20;
  // After a stop signal: what the clients already sent is read until the
  // sockets have been quiet for drain_quiet_ms, for at most drain_ms (a
  // second signal ends it at once).
  int drain_quiet_ms = 100;
  int drain_ms = 5000;
  // A connection that sends nothing for this long is closed (its partial
  // last line is a record). 0: never. A UDP peer's source ends after this
  // long without a datagram (0: udp_idle_ms).
  int64_t client_timeout_ms = 0;
  int64_t udp_idle_ms = 60000;
  int64_t handshake_ms = 10000;  // a TLS handshake not done by then is refused
  // tls://: PEM certificate (chain) and key; tls_client_ca: clients must
  // present a certificate signed by it (mutual TLS).
  std::string tls_cert, tls_key, tls_client_ca;
  // --allow: CIDR lists (each may hold several, comma-separated); empty:
  // every peer. Others are closed at accept, their datagrams dropped.
  std::vector<std::string> allow;
};

class Listener {
 public:
  // Binds every address (throws su::Fatal when one cannot be bound, or the
  // TLS files cannot be used; su::UsageError for a bad --allow).
  Listener(const std::vector<std::string>& addresses, ListenOptions o);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // The addresses bound, as `tcp://127.0.0.1:41234` (the port a `:0` got).
  const std::vector<std::string>& bound() const { return bound_; }

  // CSV with quotes: a newline inside quotes does not end a record. 0: none.
  void set_quote(char q) { quote_ = q; }

  // Warnings (a refused client, a closed connection): `fn(message)`.
  void on_warning(std::function<void(const std::string&)> fn) { warn_ = std::move(fn); }

  // One source's bytes to hand out: complete records (ending with a record
  // end), or, when `last`, the rest of a connection that ended (its last line
  // without a newline is a record) or was closed for a line over --max-line.
  // Valid until the next call.
  struct Chunk {
    std::string_view bytes;
    std::string_view name;  // `tcp:127.0.0.1:53122`
    uint32_t serial = 0;    // the source's number, as Line::serial
    uint64_t line = 0;      // lines of this source handed out before these bytes
    bool last = false;
  };
  // `lines_done`: the line count of the source of the previous chunk after
  // the reader handed out its lines. Waits up to timeout_ms (-1: no limit),
  // calling before_block first; watches out_fd (>= 0) and throws
  // su::BrokenPipe when its reader is gone. Returns Line (a chunk), Timeout,
  // or Interrupted after a stop signal once the short drain is over and every
  // connection is closed.
  ReadStatus next(Chunk& c, uint64_t lines_done, int timeout_ms, int out_fd, const std::function<void()>& before_block);

  // Serials of the sources that ended since the last call (their per-source
  // state can go).
  std::vector<uint32_t> take_ended();

  // Clients refused so far (--max-clients, --allow, a failed TLS handshake).
  uint64_t refused() const { return refused_; }
  // UDP datagrams the kernel dropped (its receive buffer was full).
  uint64_t dropped() const;

  // A connection from elsewhere (HTTP ingest: one end of a socket pair per
  // request body), a source of its own named `name`. Thread-safe: next()
  // takes it on (it owns fd from here).
  void adopt(int fd, std::string name);
  // What HTTP ingest needs to know, called on the reading thread (set
  // before next() runs).
  struct Hooks {
    // An adopted connection was taken on as the source `serial`.
    std::function<void(uint32_t serial, const std::string& name)> started;
    // At the start of each next(): the lines of the chunk handed out last
    // (of the source `serial`; 0: none) were processed.
    std::function<void(uint32_t serial)> handed;
    // A connection was closed, every line of it handed out and processed.
    // `forced`: it was ended here (a stop, --max-line, --client-timeout),
    // not by its sender.
    std::function<void(uint32_t serial, uint64_t lines, bool forced)> ended;
    // A stop signal arrived: the short drain begins.
    std::function<void()> stopping;
  };
  void set_hooks(Hooks h) { hooks_ = std::move(h); }

 private:
  struct Conn;
  struct Sock {
    int fd = -1;
    ListenAddress::Kind kind = ListenAddress::Kind::Tcp;
    std::string path;                    // unix
    std::string bound;                   // as in bound()
    bool ready = false;                  // udp: more datagrams may be queued (read before polling)
    uint32_t dropped = 0, reported = 0;  // udp: SO_RXQ_OVFL
    int64_t report_ms = 0;               // udp: when the drops may be reported again
  };
  void bind_all(const std::vector<std::string>& addresses);
  void accept_on(Sock& s);
  // Whether a peer may send (--allow); refuses and logs it when not.
  bool allowed(const void* sockaddr_storage_p, const char* scheme);
  void refuse(const std::string& name, const std::string& why);
  // udp: one datagram into its peer's source; true with a chunk.
  bool read_datagram(Sock& s, Chunk& out);
  void count_drops(Sock& s);
  void report_drops(Sock& s, bool final);
  // Moves a connection on (TLS handshake, read); true when there may be a
  // chunk (or it ended).
  bool service(Conn& c);
  bool chunk_of(Conn& c, Chunk& out);
  void close_conn(size_t i);
  void stop_accepting();
  void take_adopted();
  void close_udp();
  // --client-timeout, TLS handshakes, idle UDP peers: ends what is over its
  // time; the ms until the next one would be (-1: none).
  int expire_idle();
  size_t record_end(Conn& c);

  ListenOptions o_;
  net::AllowList allow_;
  std::unique_ptr<TlsServer> tls_;
  char quote_ = 0;
  std::vector<Sock> socks_;
  std::vector<std::unique_ptr<Conn>> conns_;
  std::unordered_map<std::string, Conn*> udp_peers_;  // by name
  std::vector<std::string> bound_;
  std::vector<uint32_t> ended_;
  std::function<void(const std::string&)> warn_;
  std::set<std::string> denied_seen_;  // --allow: addresses logged (bounded)
  uint32_t serial_ = 0x80000000u;      // apart from the files' serials
  uint32_t prev_ = 0;                  // serial of the last chunk handed out
  size_t rr_ = 0;                      // round-robin start
  uint64_t refused_ = 0;
  uint64_t refusals_logged_ = 0;
  uint64_t unix_clients_ = 0;
  bool over_cap_warned_ = false;
  bool udp_turn_ = false;  // datagrams are read before connections next time
  bool draining_ = false;
  int64_t drain_end_ms_ = 0;
  Hooks hooks_;
  int wake_fd_ = -1;  // an eventfd: readable when a connection was adopted
  std::mutex adopt_mu_;
  std::vector<std::pair<int, std::string>> adopted_;
};

}  // namespace su
