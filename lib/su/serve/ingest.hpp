// HTTP ingest's pure pieces (stream-parse --listen http://): the address
// with its path, the held-back tail of a body read in pieces, the request
// rate limit, and the JSON response that says what was taken.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace su::serve {

struct HttpAddress {
  bool tls = false;        // https://
  std::string host;        // no brackets around an IPv6 address
  int port = 0;            // 0: any free port
  std::string path = "/";  // where records are POSTed
};
// Whether the text names an HTTP address (`http://` or `https://`).
bool is_http_address(std::string_view text);
// `http://HOST:PORT/PATH`, `https://[V6]:PORT/PATH`; no PATH: `/`. A host
// is needed (no default: say 127.0.0.1 or 0.0.0.0). Throws su::UsageError.
HttpAddress parse_http_address(std::string_view text);
// `http://127.0.0.1:41234/ingest`.
std::string http_url(const HttpAddress& a, int port);

// A body arrives in pieces; only complete lines go on, the rest waits for
// the next piece (a body cut short leaves it as the partial last line).
// Returns the length of the prefix of `held` that ends with a newline, or
// all of it once it is longer than max_line (an over-long line is the
// reader's to reject).
size_t complete_prefix(std::string_view held, size_t max_line);

// Requests per second over all clients: a token bucket holding at most
// `burst` requests, refilled at `per_second`. 0 per second: no limit.
class RateLimit {
 public:
  RateLimit(double per_second, double burst) : rate_(per_second), burst_(burst), tokens_(burst) {}
  // Takes one request at time now_ms (monotonic); false: over the limit.
  bool take(int64_t now_ms);

 private:
  double rate_, burst_, tokens_;
  int64_t last_ms_ = -1;
};

// The JSON body of a response to a POST of records.
struct IngestReject {
  uint64_t line = 0;
  std::string reason;
};
struct IngestResult {
  uint64_t accepted = 0;              // records written to stdout
  uint64_t rejected = 0;              // lines rejected (each also on stderr / --rejects)
  std::vector<IngestReject> rejects;  // the first few
  std::string error;                  // why the body was not taken whole; empty: it was
};
// `{"accepted":N,"rejected":M,"rejects":[{"line":L,"reason":"..."}],"error":"..."}`
// (no "error" member when there is none), ending with a newline.
std::string ingest_response(const IngestResult& r);
// `{"error":"..."}` and a newline.
std::string error_response(std::string_view message);

}  // namespace su::serve
