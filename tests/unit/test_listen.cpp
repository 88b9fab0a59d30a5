// --listen addresses (su::ListenAddress): the schemes, IPv6 in brackets, a
// bare :PORT on loopback, and the mistakes refused.
#include <doctest/doctest.h>

#include "su/core/error.hpp"
#include "su/listen.hpp"

using su::ListenAddress;

TEST_CASE("tcp, tls and udp addresses give their kind, host and port") {
  ListenAddress a = ListenAddress::parse("tcp://0.0.0.0:9000");
  CHECK(a.kind == ListenAddress::Kind::Tcp);
  CHECK(a.host == "0.0.0.0");
  CHECK(a.port == "9000");
  CHECK(ListenAddress::parse("tls://127.0.0.1:6514").kind == ListenAddress::Kind::Tls);
  a = ListenAddress::parse("udp://127.0.0.1:514");
  CHECK(a.kind == ListenAddress::Kind::Udp);
  CHECK(std::string(a.scheme()) == "udp");
}

TEST_CASE("a bare :PORT listens on 127.0.0.1 over TCP") {
  ListenAddress a = ListenAddress::parse(":0");
  CHECK(a.kind == ListenAddress::Kind::Tcp);
  CHECK(a.host == "127.0.0.1");
  CHECK(a.port == "0");
}

TEST_CASE("IPv6 hosts go in brackets") {
  ListenAddress a = ListenAddress::parse("tcp://[::1]:9000");
  CHECK(a.host == "::1");
  CHECK(a.port == "9000");
  CHECK(ListenAddress::parse("udp://[::]:514").host == "::");
  CHECK_THROWS_WITH_AS(ListenAddress::parse("tcp://::1:9000"), doctest::Contains("brackets"), su::UsageError);
}

TEST_CASE("unix sockets take a path") {
  ListenAddress a = ListenAddress::parse("unix:/run/in.sock");
  CHECK(a.kind == ListenAddress::Kind::Unix);
  CHECK(a.path == "/run/in.sock");
  CHECK_THROWS_AS(ListenAddress::parse("unix:"), su::UsageError);
}

TEST_CASE("bad addresses are usage errors") {
  CHECK_THROWS_AS(ListenAddress::parse("http2://x:1"), su::UsageError);
  CHECK_THROWS_AS(ListenAddress::parse("9000"), su::UsageError);
  CHECK_THROWS_AS(ListenAddress::parse("tcp://host"), su::UsageError);
  CHECK_THROWS_AS(ListenAddress::parse("tcp://host:65536"), su::UsageError);
  CHECK_THROWS_AS(ListenAddress::parse("tcp://host:x"), su::UsageError);
  CHECK_THROWS_AS(ListenAddress::parse(":"), su::UsageError);
}
