// Network sources (stream-parse --listen, CONTRACT 8): listening sockets and
// their connections. Each connection is a source of its own and keeps its
// partial line in its own buffer; the input reader (su::InputReader) is handed
// one connection's complete lines at a time, so lines are never cut or mixed.
// Sockets are read only when the reader asks for more (back-pressure: while
// stdout blocks, nothing is read and TCP slows the senders).
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "su/core/line.hpp"

namespace su {

// A parsed --listen address.
struct ListenAddress {
  enum class Kind { Tcp, Unix };
  Kind kind = Kind::Tcp;
  std::string host;  // tcp: numeric or name ("127.0.0.1" for a bare ":PORT")
  std::string port;  // tcp
  std::string path;  // unix
  // `tcp://HOST:PORT`, `tcp://[V6]:PORT`, `:PORT` (127.0.0.1), `unix:/path`.
  // Throws su::UsageError with the reason.
  static ListenAddress parse(std::string_view s);
};

struct ListenOptions {
  size_t max_clients = 1024;           // more connections are closed at accept
  size_t max_line = size_t(64) << 20;  // a longer line is rejected and its connection closed
  // After a stop signal: what the clients already sent is read until the
  // sockets have been quiet for drain_quiet_ms, for at most drain_ms (a
  // second signal ends it at once).
  int drain_quiet_ms = 100;
  int drain_ms = 5000;
  // A connection that sends nothing for this long is closed (its partial
  // last line is a record). 0: never.
  int64_t client_timeout_ms = 0;
};

class Listener {
 public:
  // Binds every address (throws su::Fatal when one cannot be bound).
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

  // One connection's bytes to hand out: complete records (ending with a
  // record end), or, when `last`, the rest of a connection that ended (its
  // last line without a newline is a record) or was closed for a line over
  // --max-line. Valid until the next call.
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

  // Clients refused (--max-clients) so far.
  uint64_t refused() const { return refused_; }

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
  void accept_on(int fd, bool unix_socket, const std::string& unix_path);
  // Reads from c; true when it has a chunk to hand out.
  bool read_conn(Conn& c);
  bool chunk_of(Conn& c, Chunk& out);
  void close_conn(size_t i);
  void stop_accepting();
  void take_adopted();
  // --client-timeout: ends the connections idle too long; the ms until the
  // next one would be (-1: none).
  int expire_idle();
  size_t record_end(Conn& c);

  ListenOptions o_;
  char quote_ = 0;
  struct Sock {
    int fd = -1;
    bool unix_socket = false;
    std::string path;
  };
  std::vector<Sock> socks_;
  std::vector<std::unique_ptr<Conn>> conns_;
  std::vector<std::string> bound_;
  std::vector<uint32_t> ended_;
  std::function<void(const std::string&)> warn_;
  uint32_t serial_ = 0x80000000u;  // apart from the files' serials
  uint32_t prev_ = 0;              // serial of the last chunk handed out
  size_t rr_ = 0;                  // round-robin start
  uint64_t refused_ = 0;
  uint64_t unix_clients_ = 0;
  bool draining_ = false;
  int64_t drain_end_ms_ = 0;
  Hooks hooks_;
  int wake_fd_ = -1;  // an eventfd: readable when a connection was adopted
  std::mutex adopt_mu_;
  std::vector<std::pair<int, std::string>> adopted_;
};

}  // namespace su
