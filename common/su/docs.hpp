// Docs generated from one source, as ripgrep does: a tool's CLI11 App (its
// options, their help, and what options.hpp records of each, which the
// format, window-kind and aggregate-function tables fill). The hidden option
// `--generate=KIND` that every tool has (add_common_options) prints:
//   man   the generated regions of the tool's man page, each between
//         `.\" BEGIN GENERATED: NAME` and `.\" END GENERATED: NAME`: `options`
//         (the option list) and one region per value list that asks for one
//         (OptionDoc::section, e.g. `functions`); scripts/gen-docs puts them
//         into man/TOOL.1, whose other text is written by hand;
//   bash, zsh, fish   the whole completion script.
//
// Docs markup, in OptionDoc::man and Choice::doc: `text` is literal (bold in
// the man page), *text* a placeholder (italics); a blank line starts a new
// paragraph. In any text, option names (--every) are set in bold and the
// value names of the tool's options (SIZE) in italics.
#pragma once
#include <CLI/CLI.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace su {

// The end of every tool's --help, after the tool's own footer: a few
// examples of the tool (from one table here, by the app's name) and the exit
// statuses every tool shares (CONTRACT 6).
std::string help_epilogue(const CLI::App& app);

// What --generate takes: man, bash, zsh, fish.
const std::vector<std::string>& doc_kinds();
// The text --generate=kind prints; throws su::UsageError for another kind.
std::string generate_docs(const CLI::App& app, std::string_view kind);
// Docs markup to roff body text; the words in `italic` are set in italics.
std::string markup_to_roff(std::string_view text, const std::vector<std::string>& italic = {});

}  // namespace su
