// Edit distance and the closest candidate (see suggest.hpp).
#include "su/core/suggest.hpp"

#include <algorithm>

namespace su {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::optional<std::string> closest_name(std::string_view wanted, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  size_t best_d = 0;
  for (const std::string& c : candidates) {
    if (c == wanted) return std::nullopt;
    const size_t d = edit_distance(wanted, c);
    const size_t longer = std::max(wanted.size(), c.size());
    const size_t shorter = std::min(wanted.size(), c.size());
    const bool prefix = shorter >= 2 && (c.starts_with(wanted) || wanted.starts_with(c));
    if (!prefix && d > longer / 3) continue;
    if (!best || d < best_d) {
      best = c;
      best_d = d;
    }
  }
  return best;
}

}  // namespace su
