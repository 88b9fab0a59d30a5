// HTTP ingest's pure pieces (see ingest.hpp).
#include "su/serve/ingest.hpp"

#include <algorithm>
#include <cstring>

#include "su/core/error.hpp"
#include "su/core/json_write.hpp"

namespace su::serve {

bool is_http_address(std::string_view text) {
  return text.substr(0, 7) == "http://" || text.substr(0, 8) == "https://";
}

HttpAddress parse_http_address(std::string_view text) {
  HttpAddress a;
  const std::string given(text);
  if (text.substr(0, 8) == "https://") {
    a.tls = true;
    text.remove_prefix(8);
  } else if (text.substr(0, 7) == "http://") {
    text.remove_prefix(7);
  } else {
    throw UsageError("--listen: expected http://HOST:PORT/PATH, got '" + given + "'");
  }
  const size_t slash = text.find('/');
  std::string_view hostport = text.substr(0, slash);
  if (slash != std::string_view::npos) a.path = std::string(text.substr(slash));
  if (a.path.find_first_of("?#") != std::string::npos || a.path.find("//") != std::string::npos)
    throw UsageError("--listen: the path of '" + given + "' must be a plain path like /ingest");
  const size_t colon = hostport.rfind(':');
  if (colon == std::string_view::npos || (hostport.find(']') != std::string_view::npos && colon < hostport.find(']')))
    throw UsageError("--listen: '" + given + "' has no port (http://HOST:PORT/PATH)");
  std::string_view host = hostport.substr(0, colon), port = hostport.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) throw UsageError("--listen: '" + given + "' has no host (http://127.0.0.1:PORT/PATH)");
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos ||
      std::stoul(std::string(port)) > 65535)
    throw UsageError("--listen: bad port in '" + given + "'");
  a.host = std::string(host);
  a.port = int(std::stoul(std::string(port)));
  return a;
}

std::string http_url(const HttpAddress& a, int port) {
  std::string s = a.tls ? "https://" : "http://";
  if (a.host.find(':') != std::string::npos) {
    s.push_back('[');
    s.append(a.host);
    s.push_back(']');
  } else {
    s.append(a.host);
  }
  s.push_back(':');
  s.append(std::to_string(port));
  s.append(a.path);
  return s;
}

size_t complete_prefix(std::string_view held, size_t max_line) {
  if (held.size() > max_line) return held.size();
  const size_t nl = held.rfind('\n');
  return nl == std::string_view::npos ? 0 : nl + 1;
}

bool RateLimit::take(int64_t now_ms) {
  if (rate_ <= 0) return true;
  if (last_ms_ >= 0 && now_ms > last_ms_)
    tokens_ = std::min(burst_, tokens_ + double(now_ms - last_ms_) * rate_ / 1000);
  if (last_ms_ < 0 || now_ms > last_ms_) last_ms_ = now_ms;
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

std::string ingest_response(const IngestResult& r) {
  std::string b = "{\"accepted\":";
  append_int(b, int64_t(r.accepted));
  b.append(",\"rejected\":");
  append_int(b, int64_t(r.rejected));
  b.append(",\"rejects\":[");
  for (size_t i = 0; i < r.rejects.size(); ++i) {
    if (i) b.push_back(',');
    b.append("{\"line\":");
    append_int(b, int64_t(r.rejects[i].line));
    b.append(",\"reason\":");
    append_json_string(b, r.rejects[i].reason);
    b.push_back('}');
  }
  b.push_back(']');
  if (!r.error.empty()) {
    b.append(",\"error\":");
    append_json_string(b, r.error);
  }
  b.append("}\n");
  return b;
}

std::string error_response(std::string_view message) {
  std::string b = "{\"error\":";
  append_json_string(b, message);
  b.append("}\n");
  return b;
}

}  // namespace su::serve
