// HTTP ingest (stream-parse --listen http://HOST:PORT/PATH, https://...):
// each POST body is a source of its own. cpp-httplib's threads read the
// bodies and pass their complete lines, through one end of a socket pair per
// request, to the Listener, which hands them to the one reading loop like any
// connection; so a body is read only as fast as stdout is written, and its
// lines are never mixed with another source's. The reading thread counts the
// records each request gave stdout and the lines it rejected, and once every
// line of the body was handled and stdout flushed, the request's thread
// answers with those counts.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "su/listen.hpp"
#include "su/output.hpp"
#include "su/tool.hpp"

namespace su {

struct HttpIngestOptions {
  std::string token;                             // required as `Authorization: Bearer TOKEN`; empty: none
  std::string tls_cert, tls_key, tls_client_ca;  // https://
  size_t max_request = size_t(64) << 20;         // a longer body: 413
  size_t max_clients = 1024;                     // connections at once; more: 503
  double max_rate = 1000;                        // requests a second over all clients; more: 429. 0: none
  size_t max_line = size_t(64) << 20;
  int read_timeout_s = 30;         // a client that sends nothing for this long: cut short
  size_t rejects_shown = 10;       // rejects listed in a response
  std::vector<std::string> allow;  // --allow CIDR,...: other peers get 403; empty: all
};

class HttpIngest {
 public:
  // Binds every address (http://, https://) and starts serving; throws
  // su::Fatal when one cannot be bound or a certificate cannot be loaded.
  // The Listener, the Output and the Diagnostics must outlive it.
  HttpIngest(const std::vector<std::string>& addresses, HttpIngestOptions o, Listener& listener, Output& out,
             Diagnostics& diag);
  // Stops the servers; requests still waiting are answered 503.
  ~HttpIngest();
  HttpIngest(const HttpIngest&) = delete;
  HttpIngest& operator=(const HttpIngest&) = delete;

  // The URLs bound, as `http://127.0.0.1:41234/ingest` (the port a `:0` got).
  const std::vector<std::string>& bound() const { return bound_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<std::string> bound_;
};

}  // namespace su
