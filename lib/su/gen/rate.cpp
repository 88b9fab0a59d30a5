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
  std::string p;  // "s" alone means "1s"
  if (!period.empty() && !(period[0] >= '0' && period[0] <= '9')) p.push_back('1');
  p.append(period);
  auto ns = parse_duration(p);
  if (!ns || *ns <= 0) return std::nullopt;
  return double(*ns) / n;
}

}  // namespace su::gen
