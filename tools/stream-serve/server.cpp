// The HTTP(S) server of stream-serve (see server.hpp).
#include "server.hpp"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>

#include "assets.hpp"
#include "su/core/error.hpp"
#include "su/core/json_write.hpp"
#include "su/serve/access.hpp"

namespace stream_serve {
namespace {

using namespace std::chrono_literals;
constexpr size_t kWriteBytes = 64 << 10;  // a client's copy of the ring at a time
constexpr auto kWait = 1000ms;            // a stream looks at the stop flag this often
constexpr int kHeartbeatWaits = 15;       // a comment after 15 s without events keeps proxies from closing
constexpr time_t kTimeoutSeconds = 5;     // a client that does not read for this long is dropped
constexpr int kBacklog = 1024;            // connections waiting to be accepted

void json(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "application/json");
}

std::optional<uint64_t> parse_id(const std::string& s) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string peer(const httplib::Request& req) {
  return req.remote_addr.find(':') != std::string::npos ? "[" + req.remote_addr + "]:" + std::to_string(req.remote_port)
                                                        : req.remote_addr + ":" + std::to_string(req.remote_port);
}

void warn(const Options& o, const std::string& m) {
  if (!o.common.quiet) std::fprintf(stderr, "stream-serve: %s\n", m.c_str());
}

// One /events client: where it is in the ring and what it is writing.
struct Stream {
  uint64_t cursor = 0;
  bool started = false, caught_up = true;
  int idle = 0;
  std::string peer, buf;
  bool dropped = false;
};

}  // namespace

WebServer::WebServer(const Options& o, std::string token, Hub& hub) : o_(o), token_(std::move(token)), hub_(hub) {
  if (!o.tls_cert.empty()) {
    auto s = std::make_unique<httplib::SSLServer>(o.tls_cert.c_str(), o.tls_key.c_str());
    if (!s->is_valid())
      throw su::Fatal("cannot load the certificate '" + o.tls_cert + "' and the key '" + o.tls_key +
                      "' (PEM files, the key unencrypted and matching the certificate)");
    svr_ = std::move(s);
  } else {
    svr_ = std::make_unique<httplib::Server>();
  }
  // A pool thread per stream, plus a few for the other requests.
  const size_t threads = o.max_clients + 8;
  svr_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  svr_->set_read_timeout(kTimeoutSeconds, 0);
  svr_->set_write_timeout(kTimeoutSeconds, 0);
  svr_->set_keep_alive_timeout(2);  // an idle connection ends soon, and so does a stop
  svr_->set_keep_alive_max_count(100);
  svr_->set_payload_max_length(16 << 10);  // no route takes a body
  httplib::Headers h{
      {"Content-Security-Policy", std::string(su::serve::content_security_policy())},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
      {"Cache-Control", "no-store"},
  };
  svr_->set_default_headers(h);
  // cpp-httplib listens with a backlog of 5: a burst of clients (a page's
  // requests, many dashboards at once) would wait for SYN retries. The
  // socket is listened on again with a longer one once bound (start()).
  svr_->set_socket_options([this](int fd) {
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd_ = fd;
  });
  routes();
}

WebServer::~WebServer() {
  stop();
}

bool WebServer::authorized(const httplib::Request& req) const {
  const std::string header = req.get_header_value("Authorization");
  if (auto b = su::serve::bearer_token(header)) return su::serve::constant_time_equal(*b, token_);
  if (req.has_param("token")) return su::serve::constant_time_equal(req.get_param_value("token"), token_);
  return false;
}

void WebServer::routes() {
  // The token guards the data (/events, /latest, /config.json, the counts of
  // /health); the dashboard's files are the same in every stream-serve.
  svr_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (req.method != "GET" && req.method != "HEAD") {
      res.set_header("Allow", "GET, HEAD");
      json(res, 405, R"({"error":"method not allowed"})");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (token_.empty() || find_asset(req.path) || req.path == "/health")
      return httplib::Server::HandlerResponse::Unhandled;
    if (authorized(req)) return httplib::Server::HandlerResponse::Unhandled;
    res.set_header("WWW-Authenticate", R"(Bearer realm="stream-serve")");
    json(res, 401, R"({"error":"a token is needed: Authorization: Bearer TOKEN, or ?token=TOKEN"})");
    return httplib::Server::HandlerResponse::Handled;
  });

  auto asset = [](const httplib::Request& req, httplib::Response& res) {
    const Asset* a = find_asset(req.path);
    std::string type(a->type);
    type.append("; charset=utf-8");
    res.set_content(a->body.data(), a->body.size(), type.c_str());
  };
  for (const char* p : {"/", "/app.js", "/app.css", "/chart.js"})
    if (find_asset(p)) svr_->Get(p, asset);

  svr_->Get("/config.json", [this](const httplib::Request&, httplib::Response& res) {
    std::string c = "{\"x\":";
    su::append_json_string(c, o_.x);
    c.append(",\"y\":[");
    for (size_t i = 0; i < o_.y.size(); ++i) {
      if (i) c.push_back(',');
      su::append_json_string(c, o_.y[i]);
    }
    c.append("],\"by\":");
    su::append_json_string(c, o_.by);
    c.append(",\"title\":");
    su::append_json_string(c, o_.title);
    c.append(",\"points\":").append(std::to_string(o_.points)).append("}");
    json(res, 200, c);
  });

  svr_->Get("/latest", [this](const httplib::Request&, httplib::Response& res) {
    json(res, 200, hub_.latest_json(!o_.by.empty()));
  });

  svr_->Get("/health", [this](const httplib::Request& req, httplib::Response& res) {
    json(res, 200, hub_.health_json(token_.empty() || authorized(req)));
  });

  svr_->Get("/events", [this](const httplib::Request& req, httplib::Response& res) {
    // Where the stream starts: after Last-Event-ID (a reconnecting
    // EventSource), after ?since=ID (0: the whole history), or at the next event.
    std::optional<uint64_t> after;
    if (req.has_header("Last-Event-ID")) {
      after = parse_id(req.get_header_value("Last-Event-ID"));
      if (!after) return json(res, 400, R"({"error":"Last-Event-ID: expected an event id"})");
    } else if (req.has_param("since")) {
      after = parse_id(req.get_param_value("since"));
      if (!after) return json(res, 400, R"({"error":"since: expected an event id"})");
    }
    if (!hub_.join()) {
      res.set_header("Retry-After", "5");
      return json(res, 503, R"j({"error":"too many clients (--max-clients)"})j");
    }
    auto s = std::make_shared<Stream>();
    s->cursor = after ? *after : hub_.newest();
    s->peer = peer(req);
    res.set_header("X-Accel-Buffering", "no");
    res.set_chunked_content_provider(
        "text/event-stream",
        [this, s](size_t, httplib::DataSink& sink) {
          s->buf.clear();
          if (!s->started) s->buf.append("retry: 2000\n\n");  // EventSource reconnects after 2 s
          uint64_t missed = 0;
          const bool was_caught_up = s->caught_up;
          const Hub::Wait w = hub_.next(s->cursor, missed, s->caught_up, s->buf, kWriteBytes, kWait);
          if (w == Hub::Wait::Closing) return false;
          // Events lost while the client was still writing older ones: it
          // fell behind. (Lost while it waited with every event: a burst
          // larger than the ring; it is told, like a resume, by a gap event.)
          if (missed && s->started && !was_caught_up) {
            s->dropped = true;
            warn(o_, "client " + s->peer + " dropped: it fell behind the events held (--history, --history-size)");
            return false;
          }
          if (missed) {
            // A resume from an id the history no longer holds (or a burst): say how much is lost.
            std::string gap = "event: gap\ndata: {\"missed\":" + std::to_string(missed) + "}\n\n";
            s->buf.insert(s->started ? 0 : 13, gap);
          }
          s->started = true;
          if (w == Hub::Wait::Idle) {
            if (++s->idle < kHeartbeatWaits) return true;
            s->buf.append(": keep-alive\n\n");
          }
          s->idle = 0;
          if (!s->buf.empty()) {
            const auto t0 = std::chrono::steady_clock::now();
            if (!sink.write(s->buf.data(), s->buf.size())) {
              // A write that failed at once: the client left. One that failed
              // after the write timeout: the client stopped reading.
              if (std::chrono::steady_clock::now() - t0 >= std::chrono::seconds(kTimeoutSeconds) - 500ms) {
                s->dropped = true;
                warn(o_,
                     "client " + s->peer + " dropped: it read nothing for " + std::to_string(kTimeoutSeconds) + " s");
              }
              return false;
            }
          }
          if (w == Hub::Wait::End) sink.done();
          return true;
        },
        [this, s](bool) { hub_.leave(s->dropped); });
  });

  svr_->set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) {
      std::string body = R"({"error":"status )";
      body.append(std::to_string(res.status)).append("\"}");
      res.set_content(body, "application/json");
    }
  });
  svr_->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    json(res, 500, R"({"error":"internal error"})");
  });
}

std::string WebServer::start() {
  const su::serve::ListenAddress a = su::serve::parse_listen(o_.listen);
  int port = a.port;
  if (port == 0) {
    port = svr_->bind_to_any_port(a.host);
    if (port < 0) throw su::Fatal("cannot listen on " + o_.listen + ": " + std::strerror(errno));
  } else if (!svr_->bind_to_port(a.host, port)) {
    throw su::Fatal("cannot listen on " + o_.listen + ": " + std::strerror(errno));
  }
  if (listen_fd_ >= 0) ::listen(listen_fd_, kBacklog);
  // The server's threads leave SIGINT and SIGTERM to the record loop's
  // thread, whose blocked read they must interrupt.
  sigset_t stop, old;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, &old);
  thread_ = std::thread([this] {
    // The server's threads (this one and the pool it starts) run at a lower
    // priority than the record loop: on a busy machine the pipeline goes
    // first, and clients that cannot keep up fall behind and are dropped.
    ::setpriority(PRIO_PROCESS, pid_t(::syscall(SYS_gettid)), std::min(19, ::getpriority(PRIO_PROCESS, 0) + 10));
    svr_->listen_after_bind();
  });
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  // stop() stops only a server that runs: wait until it does (it is at once).
  for (int i = 0; i < 5000 && !svr_->is_running(); ++i) std::this_thread::sleep_for(1ms);
  return su::serve::url_of(o_.tls_cert.empty() ? "http" : "https", a.host, port);
}

void WebServer::stop() {
  if (!svr_) return;
  hub_.close_all();
  svr_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace stream_serve
