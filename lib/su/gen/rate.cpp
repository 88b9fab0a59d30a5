// Parsing --rate (see rate.hpp).
#include "su/gen/rate.hpp"

#include <charconv>
#include <cmath>
#include <string>

#include "su/core/units.hpp"

namespace su::gen {

std::optional<double> parse_rate(std::string_view s) {
  size_t slash = s.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view count = s.substr(0, slash), period = s.substr(slash + 1);
  double n = 0;
  auto r = std::from_chars(count.data(), count.data() + count.size(), n);
  if (r.ec != std::errc() || r.ptr != count.data() + count.size() || !(n > 0) || !std::isfinite(n)) return std::nullopt;
  std::string p(period);
  if (!p.empty() && !(p[0] >= '0' && p[0] <= '9')) p.insert(0, "1");
  auto ns = parse_duration(p);
  if (!ns || *ns <= 0) return std::nullopt;
  return double(*ns) / n;
}

}  // namespace su::gen
