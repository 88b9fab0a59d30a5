// The 64-bit hash of bytes shared by the group table and the sketches:
// XXH3 from Debian's libxxhash (inlined, so no call per key).
#pragma once
#include <cstdint>
#include <string_view>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace su {

inline uint64_t hash_bytes(std::string_view s, uint64_t seed = 0) {
  return XXH3_64bits_withSeed(s.data(), s.size(), seed);
}

}  // namespace su
