// "Did you mean": the candidate closest to a name that matched nothing (an
// unknown option, a field no record had), by edit distance.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace su {

// Levenshtein distance (insertions, deletions, substitutions; bytes).
size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `wanted` when it is close enough to be a likely
// typo: at most a third of the longer name's length away (`sensr` finds
// `sensor`, `tme` finds `time`; `c` finds no `a`), or `wanted` is a prefix of
// it or it of `wanted`
// (`--by-key` finds `--by`). The first of equally close candidates wins;
// nullopt when none is close or `wanted` itself is a candidate.
std::optional<std::string> closest_name(std::string_view wanted, const std::vector<std::string>& candidates);

}  // namespace su
