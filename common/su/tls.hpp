// TLS for stream-parse --listen tls://: an OpenSSL server context (a
// certificate, its key, and for mutual TLS the CA that client certificates
// must be signed by) and one non-blocking TLS session per connection. Every
// call returns at once: a handshake or read that needs the socket again says
// which poll() event it waits for, so one slow client never stalls another.
#pragma once
#include <cstddef>
#include <memory>
#include <string>

using SSL = struct ssl_st;
using SSL_CTX = struct ssl_ctx_st;

namespace su {

class TlsSession;

class TlsServer {
 public:
  // Loads the PEM files; throws su::Fatal with OpenSSL's reason when one
  // cannot be used (missing, a key that does not match the certificate).
  // client_ca empty: no client certificate is asked for.
  TlsServer(const std::string& cert, const std::string& key, const std::string& client_ca);
  ~TlsServer();
  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;
  // A session over a connected non-blocking socket (the socket stays the
  // caller's to close).
  std::unique_ptr<TlsSession> session(int fd);

 private:
  SSL_CTX* ctx_ = nullptr;
};

class TlsSession {
 public:
  explicit TlsSession(SSL* ssl) : ssl_(ssl) {}
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  enum class Status { Done, WantRead, WantWrite, Closed, Failed };
  // Moves the handshake on. Done once it is complete; Failed with error()
  // (no TLS from the client, a refused or missing client certificate).
  Status handshake();
  bool handshaken() const { return handshaken_; }
  // Reads up to n bytes into out: Done with *got > 0, WantRead/WantWrite
  // (nothing yet), Closed (the client ended the session, or closed its
  // socket), Failed with error().
  Status read(char* out, size_t n, size_t* got);
  // Decrypted bytes held inside the session: poll() cannot see them.
  bool pending() const;
  const std::string& error() const { return error_; }

 private:
  Status fail(int r);
  SSL* ssl_;
  bool handshaken_ = false;
  std::string error_;
};

}  // namespace su
