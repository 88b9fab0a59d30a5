// Edit distance and the closest known name, for "did you mean" hints.
#include "su/core/suggest.hpp"

#include <algorithm>

namespace su {

namespace {

char fold(char c) {
  return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

bool contains_folded(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    size_t j = 0;
    while (j < needle.size() && fold(hay[i + j]) == fold(needle[j])) ++j;
    if (j == needle.size()) return true;
  }
  return false;
}

// Lower is closer; nullopt when c is not a likely typo of name.
std::optional<size_t> score(std::string_view name, std::string_view c) {
  if (c == name) return 0;
  size_t d = edit_distance(name, c);
  if (d == 0) return 1;  // differs in case only
  size_t longer = std::max(name.size(), c.size());
  size_t limit = std::max<size_t>(1, (longer + 2) / 3);
  // A distance that rewrites most of a short name is no hint ("ab" -> "cd").
  if (d <= limit && d < longer) return d + 1;
  size_t shorter = std::min(name.size(), c.size());
  if (shorter >= 3 && (contains_folded(c, name) || contains_folded(name, c))) return longer - shorter + 1;
  return std::nullopt;
}

template <class Names>
std::optional<std::string> closest(std::string_view name, const Names& candidates) {
  if (name.empty()) return std::nullopt;
  std::optional<size_t> best;
  std::string_view found;
  for (const auto& c : candidates) {
    std::string_view cv(c);
    auto s = score(name, cv);
    if (s && (!best || *s < *best)) {
      best = s;
      found = cv;
    }
  }
  if (!best) return std::nullopt;
  return std::string(found);
}

std::string hint(const std::optional<std::string>& c) {
  std::string out;
  if (!c) return out;
  out.append(" (did you mean '");
  out.append(*c);
  out.append("'?)");
  return out;
}

}  // namespace

size_t edit_distance(std::string_view a, std::string_view b) {
  const size_t n = a.size(), m = b.size();
  if (n == 0) return m;
  if (m == 0) return n;
  // Three rows: the one before the previous one is for transpositions.
  std::vector<size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (size_t j = 0; j <= m; ++j) prev[j] = j;
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= m; ++j) {
      size_t cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
      size_t v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) && fold(a[i - 2]) == fold(b[j - 1]))
        v = std::min(v, prev2[j - 2] + 1);
      cur[j] = v;
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

std::optional<std::string> closest_name(std::string_view name, const std::vector<std::string_view>& candidates) {
  return closest(name, candidates);
}

std::optional<std::string> closest_name(std::string_view name, const std::vector<std::string>& candidates) {
  return closest(name, candidates);
}

std::string did_you_mean(std::string_view name, const std::vector<std::string_view>& candidates) {
  return hint(closest(name, candidates));
}

std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
  return hint(closest(name, candidates));
}

}  // namespace su
