// OpenSSL server side for --listen tls://: TLS 1.2 or later, no
// renegotiation, a client that closes without close_notify ends its source
// like a TCP close (what it sent is kept).
#include "su/tls.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "su/core/error.hpp"

namespace su {
namespace {
// The first queued OpenSSL error as text (and the queue emptied).
std::string ssl_error_text(const char* fallback) {
  unsigned long e = ERR_get_error();
  std::string s = fallback;
  if (e) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    const char* reason = ERR_reason_error_string(e);
    s = reason ? reason : buf;
  }
  ERR_clear_error();
  return s;
}
}  // namespace

TlsServer::TlsServer(const std::string& cert, const std::string& key, const std::string& client_ca) {
  for (const std::string* f : {&cert, &key, &client_ca})  // the usual reasons first, in plain words
    if (!f->empty() && ::access(f->c_str(), R_OK) != 0) throw Fatal(*f + ": " + std::strerror(errno));
  ctx_ = SSL_CTX_new(TLS_server_method());
  if (!ctx_) throw Fatal("TLS: " + ssl_error_text("cannot create a context"));
  SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx_, SSL_OP_NO_RENEGOTIATION | SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_mode(ctx_, SSL_MODE_ENABLE_PARTIAL_WRITE);
  auto fatal = [this](const std::string& what) {
    std::string e = ssl_error_text("unusable");
    SSL_CTX_free(ctx_);
    ctx_ = nullptr;
    return Fatal(what + ": " + e);
  };
  if (SSL_CTX_use_certificate_chain_file(ctx_, cert.c_str()) != 1) throw fatal("--tls-cert " + cert);
  if (SSL_CTX_use_PrivateKey_file(ctx_, key.c_str(), SSL_FILETYPE_PEM) != 1) throw fatal("--tls-key " + key);
  if (SSL_CTX_check_private_key(ctx_) != 1) throw fatal("--tls-key " + key + " does not match --tls-cert " + cert);
  if (!client_ca.empty()) {
    if (SSL_CTX_load_verify_locations(ctx_, client_ca.c_str(), nullptr) != 1)
      throw fatal("--tls-client-ca " + client_ca);
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(client_ca.c_str());
    if (names) SSL_CTX_set_client_CA_list(ctx_, names);
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  }
}

TlsServer::~TlsServer() {
  SSL_CTX_free(ctx_);
}

std::unique_ptr<TlsSession> TlsServer::session(int fd) {
  SSL* ssl = SSL_new(ctx_);
  if (!ssl) throw Fatal("TLS: " + ssl_error_text("cannot create a session"));
  SSL_set_fd(ssl, fd);
  SSL_set_accept_state(ssl);
  return std::make_unique<TlsSession>(ssl);
}

TlsSession::~TlsSession() {
  SSL_free(ssl_);
}

TlsSession::Status TlsSession::fail(int r) {
  switch (SSL_get_error(ssl_, r)) {
    case SSL_ERROR_WANT_READ:
      return Status::WantRead;
    case SSL_ERROR_WANT_WRITE:
      return Status::WantWrite;
    case SSL_ERROR_ZERO_RETURN:
      return Status::Closed;
    case SSL_ERROR_SYSCALL:
      if (ERR_peek_error() == 0) {  // the peer reset or closed the socket
        error_ = handshaken_ ? "connection closed" : "closed during the TLS handshake";
        return handshaken_ ? Status::Closed : Status::Failed;
      }
      [[fallthrough]];
    default: {
      error_ = ssl_error_text("TLS error");
      long v = SSL_get_verify_result(ssl_);
      if (!handshaken_ && v != X509_V_OK) error_ += std::string(": ") + X509_verify_cert_error_string(v);
      return Status::Failed;
    }
  }
}

TlsSession::Status TlsSession::handshake() {
  if (handshaken_) return Status::Done;
  ERR_clear_error();
  int r = SSL_do_handshake(ssl_);
  if (r == 1) {
    handshaken_ = true;
    return Status::Done;
  }
  return fail(r);
}

TlsSession::Status TlsSession::read(char* out, size_t n, size_t* got) {
  *got = 0;
  ERR_clear_error();
  int r = SSL_read_ex(ssl_, out, n, got) == 1 ? 1 : 0;
  if (r == 1) return Status::Done;
  return fail(r);
}

bool TlsSession::pending() const {
  return SSL_pending(ssl_) > 0;
}

}  // namespace su
