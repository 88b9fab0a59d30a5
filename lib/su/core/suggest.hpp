// "Did you mean ...?": the closest of a set of known names to a name that
// matched none of them (a field, a format, an option value), by edit distance.
#pragma once
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace su {

// Optimal string alignment distance (Levenshtein plus adjacent
// transpositions), ASCII letters compared without case. A difference in case
// alone costs nothing here; closest_name prefers an exact match.
size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to name, when it is close enough to be a likely typo:
// edit distance at most max(1, (len + 2) / 3) of the longer of the two, or
// one contains the other (3 characters or more: "json" -> "ndjson"). Ties go
// to the first candidate given. nullopt when none is close, or name is empty.
std::optional<std::string> closest_name(std::string_view name, const std::vector<std::string_view>& candidates);
std::optional<std::string> closest_name(std::string_view name, const std::vector<std::string>& candidates);

// " (did you mean 'temperature'?)", or "" when no candidate is close: for the
// end of a message.
std::string did_you_mean(std::string_view name, const std::vector<std::string_view>& candidates);
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace su
