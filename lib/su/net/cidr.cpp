// CIDR blocks: parsed with inet_pton, matched bit by bit on the prefix.
#include "su/net/cidr.hpp"

#include <arpa/inet.h>

#include <cstring>

#include "su/core/error.hpp"

namespace su::net {
namespace {
constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool prefix_equal(const uint8_t* a, const uint8_t* b, int bits) {
  const int bytes = bits / 8;
  if (std::memcmp(a, b, size_t(bytes)) != 0) return false;
  const int rest = bits % 8;
  if (rest == 0) return true;
  const uint8_t mask = uint8_t(0xff << (8 - rest));
  return (a[bytes] & mask) == (b[bytes] & mask);
}
}  // namespace

Cidr Cidr::parse(std::string_view s) {
  std::string given(s);
  auto bad = [&](const std::string& why) { return UsageError("--allow: '" + given + "': " + why); };
  Cidr c;
  const size_t slash = s.find('/');
  std::string host(s.substr(0, slash));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (::inet_pton(AF_INET, host.c_str(), c.addr) == 1) {
    c.v6 = false;
  } else if (::inet_pton(AF_INET6, host.c_str(), c.addr) == 1) {
    c.v6 = true;
  } else {
    throw bad("not an IPv4 or IPv6 address (expected e.g. 10.0.0.0/8 or fd00::/8)");
  }
  const int max = c.v6 ? 128 : 32;
  c.prefix = max;
  if (slash != std::string_view::npos) {
    std::string_view n = s.substr(slash + 1);
    if (n.empty() || n.size() > 3 || n.find_first_not_of("0123456789") != std::string_view::npos)
      throw bad("bad prefix length");
    c.prefix = std::stoi(std::string(n));
    if (c.prefix > max) throw bad("prefix length over " + std::to_string(max));
  }
  // Host bits set: the block does not say what was meant.
  uint8_t masked[16];
  std::memcpy(masked, c.addr, 16);
  for (int bit = c.prefix; bit < max; ++bit) masked[bit / 8] &= uint8_t(~(0x80 >> (bit % 8)));
  if (std::memcmp(masked, c.addr, 16) != 0) {
    Cidr m = c;
    std::memcpy(m.addr, masked, 16);
    std::string why = "host bits set after the prefix (did you mean ";
    why.append(m.text());
    why.append("?)");
    throw bad(why);
  }
  return c;
}

bool Cidr::contains(const uint8_t* a, size_t len) const {
  if (len == 16 && !v6 && std::memcmp(a, kMapped, 12) == 0) return prefix_equal(a + 12, addr, prefix);
  if ((len == 16) != v6 || (len != 4 && len != 16)) return false;
  return prefix_equal(a, addr, prefix);
}

std::string Cidr::text() const {
  char buf[INET6_ADDRSTRLEN] = "";
  ::inet_ntop(v6 ? AF_INET6 : AF_INET, addr, buf, sizeof buf);
  std::string s = buf;
  s.push_back('/');
  s.append(std::to_string(prefix));
  return s;
}

void AllowList::add(std::string_view list) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.empty()) throw UsageError("--allow: an empty item in '" + std::string(list) + "'");
    blocks_.push_back(Cidr::parse(item));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

bool AllowList::allows(const uint8_t* addr, size_t len) const {
  if (blocks_.empty()) return true;
  for (const Cidr& c : blocks_)
    if (c.contains(addr, len)) return true;
  return false;
}

}  // namespace su::net
