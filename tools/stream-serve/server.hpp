// stream-serve's HTTP(S) server: the routes (the dashboard and its scripts,
// /config.json, /events, /latest, /health), the token check, the security
// headers and the limits, on cpp-httplib's thread pool. Each /events client
// runs in its own pool thread, copying events from the Hub and writing them
// to its socket; the record loop never waits for one.
#pragma once
#include <memory>
#include <string>
#include <thread>

#include "hub.hpp"
#include "options.hpp"

namespace httplib {
class Server;
struct Request;
}  // namespace httplib

namespace stream_serve {

class WebServer {
 public:
  // Loads the certificate and key (su::Fatal when they do not load).
  WebServer(const Options& o, std::string token, Hub& hub);
  ~WebServer();
  // Binds --listen and starts serving in a thread; returns the URL served.
  // Throws su::Fatal when the address cannot be bound.
  std::string start();
  // Ends every stream, stops listening and joins the threads.
  void stop();

 private:
  void routes();
  // The request carries the token (Authorization: Bearer, or ?token=).
  bool authorized(const httplib::Request& req) const;
  const Options& o_;
  std::string token_;
  Hub& hub_;
  std::unique_ptr<httplib::Server> svr_;
  std::thread thread_;
  int listen_fd_ = -1;
};

}  // namespace stream_serve
