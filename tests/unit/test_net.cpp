// CIDR blocks and allow lists (su/net/cidr): parsing, IPv4 and IPv6
// matching, IPv4-mapped IPv6 peers, and the mistakes refused.
#include <arpa/inet.h>
#include <doctest/doctest.h>

#include "su/core/error.hpp"
#include "su/net/cidr.hpp"

namespace {
bool has(const su::net::AllowList& l, const char* ip) {
  unsigned char b[16];
  if (::inet_pton(AF_INET, ip, b) == 1) return l.allows(b, 4);
  REQUIRE(::inet_pton(AF_INET6, ip, b) == 1);
  return l.allows(b, 16);
}
su::net::AllowList list(const char* s) {
  su::net::AllowList l;
  l.add(s);
  return l;
}
}  // namespace

TEST_CASE("an IPv4 block holds the addresses under its prefix, and no others") {
  auto l = list("10.0.0.0/8");
  CHECK(has(l, "10.0.0.1"));
  CHECK(has(l, "10.255.255.255"));
  CHECK_FALSE(has(l, "11.0.0.0"));
  CHECK_FALSE(has(l, "127.0.0.1"));
  CHECK_FALSE(has(l, "::1"));
}

TEST_CASE("a prefix that is not a multiple of 8 matches bit by bit") {
  auto l = list("192.168.4.0/22");
  CHECK(has(l, "192.168.4.0"));
  CHECK(has(l, "192.168.7.255"));
  CHECK_FALSE(has(l, "192.168.8.0"));
  CHECK_FALSE(has(l, "192.168.3.255"));
}

TEST_CASE("a single address is a /32 or a /128") {
  auto l = list("127.0.0.1, ::1");
  CHECK(has(l, "127.0.0.1"));
  CHECK_FALSE(has(l, "127.0.0.2"));
  CHECK(has(l, "::1"));
  CHECK_FALSE(has(l, "::2"));
  CHECK(l.blocks()[0].text() == "127.0.0.1/32");
  CHECK(l.blocks()[1].text() == "::1/128");
}

TEST_CASE("IPv6 blocks, and IPv4 peers of a dual-stack socket match IPv4 blocks") {
  auto l = list("fd00::/8,10.0.0.0/8");
  CHECK(has(l, "fd12:3456::1"));
  CHECK_FALSE(has(l, "fe80::1"));
  CHECK(has(l, "::ffff:10.1.2.3"));
  CHECK_FALSE(has(l, "::ffff:11.1.2.3"));
}

TEST_CASE("/0 holds everything of its family") {
  auto l = list("0.0.0.0/0");
  CHECK(has(l, "1.2.3.4"));
  CHECK_FALSE(has(l, "2001:db8::1"));
  CHECK(has(list("::/0"), "2001:db8::1"));
}

TEST_CASE("an empty list allows every address") {
  su::net::AllowList l;
  CHECK(has(l, "8.8.8.8"));
}

TEST_CASE("mistakes in a block are usage errors that say what is wrong") {
  CHECK_THROWS_AS(su::net::Cidr::parse("10.0.0.0/33"), su::UsageError);
  CHECK_THROWS_AS(su::net::Cidr::parse("::/129"), su::UsageError);
  CHECK_THROWS_AS(su::net::Cidr::parse("10.0.0/8"), su::UsageError);
  CHECK_THROWS_AS(su::net::Cidr::parse("10.0.0.0/"), su::UsageError);
  CHECK_THROWS_AS(su::net::Cidr::parse("host.example/8"), su::UsageError);
  CHECK_THROWS_WITH_AS(su::net::Cidr::parse("10.1.2.3/8"), doctest::Contains("did you mean 10.0.0.0/8?"),
                       su::UsageError);
  CHECK_THROWS_AS(list("10.0.0.0/8,,::1"), su::UsageError);
}
