// Network address ranges for access control (stream-parse --allow): CIDR
// blocks such as 10.0.0.0/8 or fd00::/8, and a list of them that says whether
// an address (4 or 16 bytes, as in a sockaddr) is inside. Pure: no sockets.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace su::net {

struct Cidr {
  bool v6 = false;
  uint8_t addr[16] = {};  // network order; an IPv4 block uses the first 4
  int prefix = 0;         // bits that must match
  // `A.B.C.D/N`, `X::Y/N`, or a single address (a /32 or /128). The host
  // bits must be zero (`10.1.2.3/8` is a mistake: throws). Throws
  // su::UsageError with the reason.
  static Cidr parse(std::string_view s);
  // addr: 4 bytes (IPv4) or 16 (IPv6). An IPv4-mapped IPv6 address
  // (::ffff:a.b.c.d, as a dual-stack socket reports it) matches IPv4 blocks.
  bool contains(const uint8_t* addr, size_t len) const;
  std::string text() const;
};

class AllowList {
 public:
  // One or more blocks, comma-separated (spaces around a comma are allowed).
  void add(std::string_view list);
  bool empty() const { return blocks_.empty(); }
  // Empty list: every address is allowed.
  bool allows(const uint8_t* addr, size_t len) const;
  const std::vector<Cidr>& blocks() const { return blocks_; }

 private:
  std::vector<Cidr> blocks_;
};

}  // namespace su::net
