// HTTP ingest: cpp-httplib servers whose POST bodies become sources of the
// Listener (see http_ingest.hpp). A request's thread passes the body's
// complete lines through a socket pair, keeping back a partial last line
// until the next piece (or the end) comes; it then waits for the reading
// thread to say what became of them, and answers.
#include "su/http_ingest.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "su/core/error.hpp"
#include "su/net/cidr.hpp"
#include "su/serve/access.hpp"
#include "su/serve/ingest.hpp"

namespace su {
namespace {

using namespace std::chrono_literals;
constexpr int kBacklog = 1024;      // connections waiting to be accepted
constexpr size_t kMaxThreads = 64;  // request threads per address
constexpr auto kStopWait = 2000ms;  // at the end: how long a server's threads are waited for

int64_t now_ms() {
  timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

std::string peer(const httplib::Request& req) {
  if (req.remote_addr.find(':') != std::string::npos)
    return "[" + req.remote_addr + "]:" + std::to_string(req.remote_port);
  return req.remote_addr + ":" + std::to_string(req.remote_port);
}

void reply(httplib::Response& res, int status, const std::string& body, bool close = false) {
  res.status = status;
  if (close) res.set_header("Connection", "close");
  res.set_content(body, "application/json");
}

bool send_all(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= size_t(w);
  }
  return true;
}

// httplib's thread pool, counting the connections it holds (queued or
// served) for --max-clients.
class CountingPool : public httplib::TaskQueue {
 public:
  CountingPool(size_t threads, std::atomic<size_t>& n) : pool_(threads), n_(n) {}
  void enqueue(std::function<void()> fn) override {
    ++n_;
    pool_.enqueue([this, fn = std::move(fn)] {
      fn();
      --n_;
    });
  }
  void shutdown() override { pool_.shutdown(); }

 private:
  httplib::ThreadPool pool_;
  std::atomic<size_t>& n_;
};

// One POST body: a source of its own.
struct Body {
  std::string name;  // http:127.0.0.1:53122#7
  int fd = -1;       // this end of the socket pair (guarded by Impl::mu once adopted)
  // Guarded by Impl::mu.
  bool done = false;           // the reading thread handled its every line and flushed
  bool complete = false;       // the whole body was read
  std::string cut;             // why the body was cut short (before its end was closed)
  std::string tail;            // then: its partial last line, kept back
  serve::IngestResult result;  // the reading thread's counts (final once done)
};

}  // namespace

struct HttpIngest::Impl {
  HttpIngestOptions o;
  Listener& listener;
  Output& out;
  Diagnostics& diag;
  struct Server {
    serve::HttpAddress address;
    std::unique_ptr<httplib::Server> svr;
    int listen_fd = -1;
    std::thread thread;
  };
  std::vector<std::unique_ptr<Server>> servers;
  std::atomic<size_t> connections{0};
  std::atomic<uint64_t> seq{0};
  std::atomic<bool> stopping{false};

  std::mutex mu;
  std::condition_variable cv;
  bool shut = false;
  size_t servers_ended = 0;
  serve::RateLimit rate;
  net::AllowList allow;
  // --allow: peers refused (under mu), the addresses not yet logged, and
  // those logged (at most kDeniedLogged).
  uint64_t denied = 0;
  std::vector<std::string> denied_new;
  std::unordered_set<std::string> denied_seen;
  static constexpr size_t kDeniedLogged = 1024;
  void log_denied();                                               // on the reading thread
  std::unordered_map<std::string, std::shared_ptr<Body>> waiting;  // adopted, not yet taken on
  std::unordered_set<Body*> live;                                  // every body a thread holds

  // The reading thread's own.
  std::unordered_map<uint32_t, std::shared_ptr<Body>> by_serial;
  std::unordered_map<std::string, Body*> by_name;
  uint64_t mark = 0;  // out.lines() when the last chunk was handed out

  Impl(HttpIngestOptions opts, Listener& l, Output& o_, Diagnostics& d)
      : o(std::move(opts)), listener(l), out(o_), diag(d), rate(o.max_rate, std::max(o.max_rate, 1.0)) {
    for (const std::string& a : o.allow) allow.add(a);
  }

  // Whether a request may go on; else its answer is in res.
  bool admit(const Server& s, const httplib::Request& req, httplib::Response& res, bool take_rate);
  void routes(Server& s);
  void post(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader);
  // The reading thread's hooks.
  void started(uint32_t serial, const std::string& name);
  void handed(uint32_t serial);
  void ended(uint32_t serial, uint64_t lines, bool forced);
  void rejected(std::string_view source, uint64_t line, std::string_view reason);
  void stop_servers();
};

bool HttpIngest::Impl::admit(const Server& s, const httplib::Request& req, httplib::Response& res, bool take_rate) {
  if (!allow.empty()) {
    uint8_t a[16];
    const bool v6 = req.remote_addr.find(':') != std::string::npos;
    const bool ok =
        ::inet_pton(v6 ? AF_INET6 : AF_INET, req.remote_addr.c_str(), a) == 1 && allow.allows(a, v6 ? 16 : 4);
    if (!ok) {
      {
        std::lock_guard<std::mutex> lock(mu);
        ++denied;
        if (denied_seen.size() < kDeniedLogged && denied_seen.insert(req.remote_addr).second)
          denied_new.push_back(req.remote_addr);
      }
      reply(res, 403, serve::error_response("this address is not allowed (--allow)"), true);
      return false;
    }
  }
  if (stopping) {
    reply(res, 503, serve::error_response("the server is stopping"), true);
    return false;
  }
  if (req.path != s.address.path) {
    reply(res, 404, serve::error_response("not found: records are POSTed to " + s.address.path), true);
    return false;
  }
  if (req.method != "POST") {
    res.set_header("Allow", "POST");
    reply(res, 405, serve::error_response("method not allowed: POST records to " + s.address.path), true);
    return false;
  }
  if (!o.token.empty()) {
    const std::string header = req.get_header_value("Authorization");
    auto b = serve::bearer_token(header);
    if (!b || !serve::constant_time_equal(*b, o.token)) {
      res.set_header("WWW-Authenticate", R"(Bearer realm="stream-parse")");
      reply(res, 401, serve::error_response("a token is needed: Authorization: Bearer TOKEN"), true);
      return false;
    }
  }
  if (connections > o.max_clients) {
    res.set_header("Retry-After", "1");
    reply(res, 503, serve::error_response("too many clients (--max-clients " + std::to_string(o.max_clients) + ")"),
          true);
    return false;
  }
  if (req.has_header("Content-Length") && req.get_header_value<uint64_t>("Content-Length") > o.max_request) {
    reply(res, 413,
          serve::error_response("request body over --max-request (" + std::to_string(o.max_request) +
                                " bytes): nothing was taken"),
          true);
    return false;
  }
  if (req.is_multipart_form_data()) {
    reply(res, 415, serve::error_response("send the records as the body (curl --data-binary @FILE), not as a form"),
          true);
    return false;
  }
  if (take_rate) {
    std::lock_guard<std::mutex> lock(mu);
    if (!rate.take(now_ms())) {
      res.set_header("Retry-After", "1");
      reply(res, 429, serve::error_response("too many requests (--max-rate)"), true);
      return false;
    }
  }
  return true;
}

void HttpIngest::Impl::routes(Server& s) {
  httplib::Server& svr = *s.svr;
  // Refused before the body is sent when the client asks first (curl does
  // for bodies over 1 MiB); the rate is counted once, below.
  svr.set_expect_100_continue_handler([this, &s](const httplib::Request& req, httplib::Response& res) {
    return admit(s, req, res, false) ? 100 : res.status;
  });
  svr.set_pre_routing_handler([this, &s](const httplib::Request& req, httplib::Response& res) {
    return admit(s, req, res, true) ? httplib::Server::HandlerResponse::Unhandled
                                    : httplib::Server::HandlerResponse::Handled;
  });
  svr.Post(s.address.path,
           [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
             try {
               post(req, res, reader);
             } catch (const std::exception& e) {
               reply(res, 500, serve::error_response(e.what()), true);
             }
           });
  svr.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) reply(res, res.status, serve::error_response("status " + std::to_string(res.status)));
  });
  svr.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    reply(res, 500, serve::error_response("internal error"), true);
  });
}

void HttpIngest::Impl::post(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
  // A request without Content-Length or chunked encoding has no body (RFC 9112 6.3).
  const bool chunked = req.get_header_value("Transfer-Encoding").find("chunked") != std::string::npos;
  if (!chunked && req.get_header_value<uint64_t>("Content-Length") == 0)
    return reply(res, 200, serve::ingest_response({}));
  auto b = std::make_shared<Body>();
  b->name = "http:" + peer(req) + "#" + std::to_string(++seq);
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
    res.set_header("Retry-After", "1");
    return reply(res, 503, serve::error_response(std::string("socketpair: ") + std::strerror(errno)), true);
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    if (shut) {
      ::close(sv[0]);
      ::close(sv[1]);
      return reply(res, 503, serve::error_response("the server is stopping"), true);
    }
    b->fd = sv[0];
    waiting[b->name] = b;
    live.insert(b.get());
  }
  listener.adopt(sv[1], b->name);

  // The body's complete lines go on as they come; a partial last line waits
  // for the next piece.
  std::string held;
  uint64_t got = 0;
  bool over = false, stalled = false;
  const bool ok = reader([&](const char* d, size_t n) {
    got += n;
    if (got > o.max_request) {
      over = true;
      return false;
    }
    held.append(d, n);
    if (size_t end = serve::complete_prefix(held, o.max_line)) {
      if (!send_all(b->fd, held.data(), end)) {
        stalled = true;  // the reading side ended this source (a stop, --max-line)
        return false;
      }
      held.erase(0, end);
    }
    return true;
  });
  std::string cut;
  if (ok && !over && !stalled) {
    if (send_all(b->fd, held.data(), held.size()))
      held.clear();  // a last line without a newline is a record
    else
      stalled = true;
  } else if (over) {
    cut = "request body over --max-request (" + std::to_string(o.max_request) + " bytes): the rest was not read";
  } else if (!stalled) {
    const std::string len = req.get_header_value("Content-Length");
    cut = "request body cut short: " + std::to_string(got) + " bytes arrived";
    if (!len.empty())
      cut.append(" of the " + len + " announced");
    else
      cut.append(" before the chunked body ended");
  }
  std::unique_lock<std::mutex> lock(mu);
  b->complete = ok && !over && !stalled;
  b->cut = cut;
  if (!cut.empty()) b->tail = std::move(held);
  ::shutdown(b->fd, SHUT_WR);  // the end of this source
  cv.wait(lock, [&] { return b->done || shut; });
  ::close(b->fd);
  b->fd = -1;
  live.erase(b.get());
  if (!b->done) {
    b->result.error = "the server stopped before these records were handled: some may have been written";
    return reply(res, 503, serve::ingest_response(b->result), true);
  }
  int status = 200;
  if (over)
    status = 413;
  else if (!cut.empty())
    status = 400;
  else if (!b->complete)
    status = stopping ? 503 : 400;  // a stop, or a line over --max-line
  reply(res, status, serve::ingest_response(b->result), status != 200);
}

void HttpIngest::Impl::started(uint32_t serial, const std::string& name) {
  std::lock_guard<std::mutex> lock(mu);
  auto it = waiting.find(name);
  if (it == waiting.end()) return;
  by_name[name] = it->second.get();
  by_serial[serial] = std::move(it->second);
  waiting.erase(it);
}

void HttpIngest::Impl::log_denied() {
  std::vector<std::string> now;
  {
    std::lock_guard<std::mutex> lock(mu);
    now.swap(denied_new);
  }
  for (const std::string& a : now) diag.warn("http:" + a + ": refused: not in --allow (logged once per address)");
}

void HttpIngest::Impl::handed(uint32_t serial) {
  log_denied();
  const uint64_t now = out.lines();
  if (serial) {
    if (auto it = by_serial.find(serial); it != by_serial.end()) it->second->result.accepted += now - mark;
  }
  mark = now;
}

void HttpIngest::Impl::rejected(std::string_view source, uint64_t line, std::string_view reason) {
  auto it = by_name.find(std::string(source));
  if (it == by_name.end()) return;
  serve::IngestResult& r = it->second->result;
  ++r.rejected;
  if (r.rejects.size() < o.rejects_shown) r.rejects.push_back({line, std::string(reason)});
}

void HttpIngest::Impl::ended(uint32_t serial, uint64_t lines, bool forced) {
  auto it = by_serial.find(serial);
  if (it == by_serial.end()) return;
  std::shared_ptr<Body> b = it->second;
  std::string cut, tail;
  bool complete;
  {
    std::lock_guard<std::mutex> lock(mu);
    cut = b->cut;
    tail = std::move(b->tail);
    complete = b->complete;
  }
  if (!cut.empty() && !tail.empty()) {
    diag.reject(b->name, lines + 1, tail, cut);  // the partial last line
  } else if (!cut.empty()) {
    diag.warn(b->name + ": " + cut);
  } else if (forced && !complete) {
    cut = "the server stopped reading this body (a stop signal, or a line over --max-line): the rest was not taken";
    diag.warn(b->name + ": " + cut);
  }
  by_name.erase(b->name);
  by_serial.erase(it);
  // Answered only once its records are out.
  out.flush();
  diag.flush();
  std::lock_guard<std::mutex> lock(mu);
  b->result.error = cut;
  b->done = true;
  cv.notify_all();
}

void HttpIngest::Impl::stop_servers() {
  stopping = true;
  for (auto& s : servers) s->svr->stop();  // closes the listening socket; requests in flight go on
}

HttpIngest::HttpIngest(const std::vector<std::string>& addresses, HttpIngestOptions o, Listener& listener, Output& out,
                       Diagnostics& diag)
    : impl_(std::make_unique<Impl>(std::move(o), listener, out, diag)) {
  Impl& m = *impl_;
  // One thread more than --max-clients (up to kMaxThreads): the connection
  // over the cap is read, to be answered 503.
  const size_t threads = std::min(m.o.max_clients + 1, kMaxThreads);
  for (const std::string& text : addresses) {
    auto s = std::make_unique<Impl::Server>();
    s->address = serve::parse_http_address(text);
    if (s->address.tls) {
      const char* ca = m.o.tls_client_ca.empty() ? nullptr : m.o.tls_client_ca.c_str();
      auto t = std::make_unique<httplib::SSLServer>(m.o.tls_cert.c_str(), m.o.tls_key.c_str(), ca);
      if (!t->is_valid())
        throw Fatal("cannot load the certificate '" + m.o.tls_cert + "' and the key '" + m.o.tls_key + "'" +
                    (ca ? " or the client CA '" + m.o.tls_client_ca + "'" : std::string()) +
                    " (PEM files, the key unencrypted and matching the certificate)");
      s->svr = std::move(t);
    } else {
      s->svr = std::make_unique<httplib::Server>();
    }
    httplib::Server& svr = *s->svr;
    svr.new_task_queue = [threads, &m] { return new CountingPool(threads, m.connections); };
    svr.set_read_timeout(m.o.read_timeout_s, 0);
    svr.set_write_timeout(m.o.read_timeout_s, 0);
    svr.set_tcp_nodelay(true);  // an answer is not held back by Nagle's algorithm (40 ms a request)
    svr.set_keep_alive_timeout(2);
    svr.set_keep_alive_max_count(1000);
    svr.set_payload_max_length(m.o.max_request);
    Impl::Server* sp = s.get();
    svr.set_socket_options([sp](int fd) {
      int yes = 1;
      ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
      sp->listen_fd = fd;
    });
    m.routes(*s);
    int port = s->address.port;
    if (port == 0) {
      port = svr.bind_to_any_port(s->address.host);
      if (port < 0) throw Fatal(text + ": cannot listen: " + std::strerror(errno));
    } else if (!svr.bind_to_port(s->address.host, port)) {
      throw Fatal(text + ": cannot listen: " + std::strerror(errno));
    }
    if (s->listen_fd >= 0) ::listen(s->listen_fd, kBacklog);
    bound_.push_back(serve::http_url(s->address, port));
    m.servers.push_back(std::move(s));
  }
  Listener::Hooks h;
  h.started = [&m](uint32_t serial, const std::string& name) { m.started(serial, name); };
  h.handed = [&m](uint32_t serial) { m.handed(serial); };
  h.ended = [&m](uint32_t serial, uint64_t lines, bool forced) { m.ended(serial, lines, forced); };
  h.stopping = [&m] { m.stop_servers(); };
  listener.set_hooks(std::move(h));
  diag.on_reject(
      [&m](std::string_view source, uint64_t line, std::string_view reason) { m.rejected(source, line, reason); });
  // The servers' threads leave SIGINT and SIGTERM to the reading thread,
  // whose poll() they must interrupt.
  sigset_t stop, old;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, &old);
  for (auto& s : m.servers) {
    Impl::Server* sp = s.get();
    s->thread = std::thread([sp, &m] {
      sp->svr->listen_after_bind();
      std::lock_guard<std::mutex> lock(m.mu);
      ++m.servers_ended;
      m.cv.notify_all();
    });
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  // stop() stops only a server that runs: wait until each does (at once).
  for (auto& s : m.servers)
    for (int i = 0; i < 5000 && !s->svr->is_running(); ++i) std::this_thread::sleep_for(1ms);
}

HttpIngest::~HttpIngest() {
  Impl& m = *impl_;
  m.log_denied();
  if (m.denied > 0) m.diag.warn(std::to_string(m.denied) + " HTTP requests refused in all (--allow)");
  m.listener.set_hooks({});
  m.diag.on_reject(nullptr);
  m.stop_servers();
  std::unique_lock<std::mutex> lock(m.mu);
  m.shut = true;
  for (Body* b : m.live)
    if (b->fd >= 0) ::shutdown(b->fd, SHUT_RDWR);  // a thread blocked on it goes on
  m.cv.notify_all();
  // A request still reading a slow client's body holds its server until its
  // read times out: the process is ending, so it is left behind.
  const bool all = m.cv.wait_for(lock, kStopWait, [&] { return m.servers_ended == m.servers.size(); });
  lock.unlock();
  for (auto& s : m.servers) {
    if (all) {
      s->thread.join();
    } else {
      s->thread.detach();
      (void)s.release();  // its threads may still use it
    }
  }
  if (!all) (void)impl_.release();
}

}  // namespace su
