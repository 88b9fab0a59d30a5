// The docs generator (see docs.hpp): man page regions in roff, and bash, zsh
// and fish completion scripts, from a tool's CLI11 App.
#include "su/docs.hpp"

#include <algorithm>
#include <cstdio>

#include "su/core/error.hpp"
#include "su/options.hpp"

namespace su {
namespace {

// ---- what the generators read of an option ----------------------------------

struct Opt {
  const CLI::Option* o = nullptr;
  std::vector<std::string> names;  // "-f", "--format": short names first
  std::string value;               // value name ("FORMAT"); empty for a flag
  std::string help;                // the first line of the description
  const OptionDoc* doc = nullptr;
  bool repeatable = false;
  bool stops = false;  // --help, --version: nothing else goes with them
};

std::string first_line(const std::string& s) {
  return s.substr(0, s.find('\n'));
}

// A help line as the description of a completion: no colon that announces a list.
std::string brief(std::string s) {
  if (!s.empty() && s.back() == ':') s.pop_back();
  return s;
}

Opt read_option(const CLI::App& app, const CLI::Option* o) {
  Opt r;
  r.o = o;
  for (const auto& s : o->get_snames()) r.names.push_back("-" + s);
  for (const auto& l : o->get_lnames()) r.names.push_back("--" + l);
  if (o->get_type_size_max() > 0) {
    r.value = o->get_type_name();
    r.value = r.value.substr(0, r.value.find(':'));  // drop a validator's ":{a,b}"
  }
  r.help = first_line(o->get_description());
  r.doc = &doc(o);
  r.repeatable = o->get_expected_max() > 1 || o->get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll;
  r.stops = o == app.get_help_ptr() || o == app.get_option_no_throw("--version");
  return r;
}

// The options of --help (not the hidden ones), in their order.
std::vector<Opt> options(const CLI::App& app) {
  std::vector<Opt> v;
  for (const CLI::Option* o : app.get_options())
    if (o->nonpositional() && !o->get_group().empty()) v.push_back(read_option(app, o));
  return v;
}

std::vector<Opt> positionals(const CLI::App& app) {
  std::vector<Opt> v;
  for (const CLI::Option* o : app.get_options())
    if (!o->nonpositional()) v.push_back(read_option(app, o));
  return v;
}

// The words completions offer for an option's value: its choices, then its
// examples.
std::vector<std::string> value_words(const OptionDoc& d) {
  std::vector<std::string> w;
  for (const Choice& c : d.choices) {
    if (c.words.empty()) w.push_back(c.name);
    for (const auto& x : c.words) w.push_back(x);
  }
  for (const auto& x : d.examples) w.push_back(x);
  return w;
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  for (size_t i = 0; (i = s.find(from, i)) != std::string::npos; i += to.size()) s.replace(i, from.size(), to);
  return s;
}

bool is_upper_word(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// ---- roff ---------------------------------------------------------------------

// One character of literal text: backslash and minus escaped, anything past
// ASCII as \[uXXXX]; returns how many bytes it took.
size_t roff_char(std::string_view s, size_t i, bool minus, std::string& out) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == '\\') {
    out += "\\e";
    return 1;
  }
  if (c == '-' && minus) {
    out += "\\-";
    return 1;
  }
  if (c < 0x80) {
    out += char(c);
    return 1;
  }
  // UTF-8 to a code point (the docs are valid UTF-8).
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  uint32_t cp = c & (0xFF >> (n + 1));
  for (size_t k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  char buf[16];
  std::snprintf(buf, sizeof buf, "\\[u%04X]", unsigned(cp));
  out += buf;
  return n;
}

std::string roff_literal(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) i += roff_char(s, i, true, out);
  return out;
}

// A choice's name as a man page tag: `pNN` is a literal p and a placeholder NN.
std::string roff_tag(const std::string& name) {
  size_t k = name.size();
  while (k > 0 && name[k - 1] >= 'A' && name[k - 1] <= 'Z') --k;
  if (k > 0 && k < name.size()) return ".BI " + roff_literal(name.substr(0, k)) + " " + name.substr(k);
  return ".B " + roff_literal(name);
}

// Capitalises a help line that starts with a plain word, and ends it with a
// full stop unless it ends in punctuation already.
std::string sentence(std::string s) {
  size_t word = s.find(' ');
  std::string_view w = std::string_view(s).substr(0, word);
  bool plain = !w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; });
  if (plain) s[0] = char(s[0] - 'a' + 'A');
  if (!s.empty() && std::string_view(".:;!?").find(s.back()) == std::string_view::npos) s += '.';
  return s;
}

std::string roff_header(const Opt& o) {
  std::vector<std::string> names;
  for (const auto& n : o.names) names.push_back(roff_literal(n));
  if (o.value.empty()) {
    if (names.size() == 1) return ".B " + names[0];
    return ".BR " + join(names, " \", \" ");
  }
  return ".BI " + join(names, " \", \" ") + " \" " + o.value + "\"";
}

// The value names of the app's options (SIZE, FILE...): set in italics
// wherever the docs mention them.
std::vector<std::string> placeholders(const CLI::App& app) {
  std::vector<std::string> v;
  for (const CLI::Option* o : app.get_options()) {
    Opt r = read_option(app, o);
    if (is_upper_word(r.value) && std::find(v.begin(), v.end(), r.value) == v.end()) v.push_back(r.value);
  }
  return v;
}

// An option's entry in the man page's option list.
void man_entry(const Opt& o, const std::vector<std::string>& italic, std::string& out) {
  out += ".TP\n" + roff_header(o) + "\n";
  out += markup_to_roff(sentence(o.help), italic) + "\n";
  if (!o.doc->man.empty()) out += markup_to_roff(o.doc->man, italic) + "\n";
  if (!o.doc->section.empty()) return;
  bool listed =
      std::any_of(o.doc->choices.begin(), o.doc->choices.end(), [](const Choice& c) { return !c.help.empty(); });
  if (!listed) return;
  out += ".RS\n";
  for (const Choice& c : o.doc->choices) {
    out += ".TP\n" + roff_tag(c.name) + "\n" + markup_to_roff(sentence(c.help), italic) + "\n";
    if (!c.doc.empty()) out += markup_to_roff(c.doc, italic) + "\n";
  }
  out += ".RE\n";
}

std::string region_begin(const std::string& name, const CLI::App& app) {
  return ".\\\" BEGIN GENERATED: " + name + "\n.\\\" by `" + app.get_name() +
         " --generate=man`: edit the option definitions, then run scripts/gen-docs\n";
}

std::string region_end(const std::string& name) {
  return ".\\\" END GENERATED: " + name + "\n";
}

std::string man(const CLI::App& app) {
  std::string out = region_begin("options", app);
  // By group, in the order the groups first appear (as --help has them).
  std::vector<Opt> opts = options(app);
  const std::vector<std::string> italic = placeholders(app);
  std::vector<std::string> groups;
  for (const Opt& o : opts)
    if (std::find(groups.begin(), groups.end(), o.o->get_group()) == groups.end()) groups.push_back(o.o->get_group());
  for (const std::string& g : groups) {
    if (!(g == groups.front() && g == "Options"))
      out += ".SS " + (g.find(' ') == std::string::npos ? g : "\"" + g + "\"") + "\n";
    for (const Opt& o : opts)
      if (o.o->get_group() == g) man_entry(o, italic, out);
  }
  out += region_end("options");
  // The value lists that have a region of their own (stream-agg's functions).
  for (const CLI::Option* o : app.get_options()) {
    const OptionDoc& d = doc(o);
    if (d.section.empty()) continue;
    out += region_begin(d.section, app);
    for (const Choice& c : d.choices) {
      out += ".TP\n" + roff_tag(c.name) + "\n" + markup_to_roff(sentence(c.help), italic) + "\n";
      if (!c.doc.empty()) out += markup_to_roff(c.doc, italic) + "\n";
    }
    out += region_end(d.section);
  }
  return out;
}

// ---- bash -----------------------------------------------------------------------

std::string shell_name(const CLI::App& app) {
  return replace_all(app.get_name(), "-", "_");
}

// Wraps words into lines of about 100 characters, continued with `indent`.
std::string wrap(const std::vector<std::string>& words, const std::string& indent) {
  std::string out, line;
  for (const auto& w : words) {
    if (!line.empty() && line.size() + w.size() > 90) {
      out += line + "\n" + indent;
      line.clear();
    }
    line += (line.empty() ? "" : " ") + w;
  }
  return out + line;
}

std::string bash(const CLI::App& app) {
  const std::string fn = "_" + shell_name(app);
  std::string out =
      "# bash completion for " + app.get_name() + " (stream-utils)                 -*- shell-script -*-\n";
  out += "# Written by `" + app.get_name() +
         " --generate=bash`: edit the option definitions, then run scripts/gen-docs.\n";
  out += fn + "() {\n";
  out += "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} eq=\n";
  out += "  # --option=value: bash splits at the '=', unless COMP_WORDBREAKS lacks it;\n";
  out += "  # then the word is --option=value, and each reply keeps its --option= ($eq)\n";
  out += "  if [[ $cur == = ]]; then cur=; elif [[ $prev == = ]]; then prev=${COMP_WORDS[COMP_CWORD-2]}\n";
  out += "  elif [[ $cur == --*=* ]]; then prev=${cur%%=*} eq=${cur%%=*}= cur=${cur#*=}; fi\n";
  out += "  case $prev in\n";
  // Options with the same action share a case.
  std::vector<std::pair<std::string, std::vector<std::string>>> actions;
  std::vector<std::string> longs, shorts;
  for (const Opt& o : options(app)) {
    for (const auto& n : o.names) (n.size() > 2 ? longs : shorts).push_back(n);
    if (o.value.empty()) continue;
    std::string action;
    std::vector<std::string> words = value_words(*o.doc);
    if (!words.empty())
      action = "COMPREPLY=($(compgen -P \"$eq\" -W \"" + join(words, " ") + "\" -- \"$cur\")); return ;;";
    else if (o.doc->value == OptionDoc::Value::File)
      action = "COMPREPLY=($(compgen -P \"$eq\" -f -- \"$cur\")); return ;;";
    else if (o.doc->value == OptionDoc::Value::Directory)
      action = "COMPREPLY=($(compgen -P \"$eq\" -d -- \"$cur\")); return ;;";
    else
      action = "return ;;";  // a value to type: nothing to offer
    auto it = std::find_if(actions.begin(), actions.end(), [&](const auto& a) { return a.first == action; });
    if (it == actions.end())
      actions.push_back({action, o.names});
    else
      it->second.insert(it->second.end(), o.names.begin(), o.names.end());
  }
  for (const auto& [action, names] : actions) out += "    " + join(names, "|") + ")\n      " + action + "\n";
  out += "  esac\n";
  out += "  [[ -n $eq ]] && return  # --flag=: not an option that takes a value\n";
  out += "  if [[ $cur == -* ]]; then\n";
  longs.insert(longs.end(), shorts.begin(), shorts.end());
  out += "    COMPREPLY=($(compgen -W \"" + wrap(longs, "      ") + "\" -- \"$cur\"))\n";
  out += "    return\n  fi\n";
  std::vector<std::string> words;
  bool files = false;
  for (const Opt& p : positionals(app)) {
    std::vector<std::string> w = value_words(*p.doc);
    words.insert(words.end(), w.begin(), w.end());
    files = files || p.doc->value == OptionDoc::Value::File;
  }
  std::string reply;
  if (!words.empty()) reply += "$(compgen -W \"" + wrap(words, "    ") + "\" -- \"$cur\")";
  if (files) reply += std::string(reply.empty() ? "" : " ") + "$(compgen -f -- \"$cur\")";
  if (!reply.empty()) out += "  COMPREPLY=(" + reply + ")\n";
  if (!words.empty()) out += "  [[ ${#COMPREPLY[@]} == 1 && ${COMPREPLY[0]} == *: ]] && compopt -o nospace\n";
  out += "}\n";
  out += "complete -o filenames -F " + fn + " " + app.get_name() + "\n";
  return out;
}

// ---- zsh ------------------------------------------------------------------------

// Text inside a single-quoted zsh word.
std::string zsh_quoted(const std::string& s) {
  return replace_all(s, "'", "'\\''");
}

// The [description] of an _arguments spec.
std::string zsh_description(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '[' || c == ']' || c == '\\') out += '\\';
    out += c;
  }
  return zsh_quoted(out);
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return s;
}

std::string zsh_message(const std::string& value) {
  return replace_all(lower(value), ":", "\\:");
}

std::string zsh(const CLI::App& app) {
  const std::string name = app.get_name();
  std::string out = "#compdef " + name + "\n# zsh completion for " + name + " (stream-utils)\n";
  out += "# Written by `" + name + " --generate=zsh`: edit the option definitions, then run scripts/gen-docs.\n";
  std::vector<Opt> opts = options(app);
  std::vector<std::string> specs;
  for (const Opt& o : opts) {
    std::vector<std::string> excluded;
    if (o.stops) {
      excluded = {"-", "*"};
    } else {
      if (o.names.size() > 1 && !o.repeatable) excluded = o.names;
      if (!o.doc->exclusive.empty())
        for (const Opt& other : opts)
          if (other.o != o.o && other.doc->exclusive == o.doc->exclusive)
            excluded.insert(excluded.end(), other.names.begin(), other.names.end());
    }
    std::string head = excluded.empty() ? "" : "(" + join(excluded, " ") + ")";
    if (o.repeatable) head += "*";
    std::string tail = "[" + zsh_description(brief(o.help)) + "]";
    if (!o.value.empty()) {
      tail += ":" + zsh_quoted(zsh_message(o.value)) + ":";
      std::vector<std::string> words = value_words(*o.doc);
      if (!words.empty())
        tail += "(" + zsh_quoted(join(words, " ")) + ")";
      else if (o.doc->value == OptionDoc::Value::File)
        tail += "_files";
      else if (o.doc->value == OptionDoc::Value::Directory)
        tail += "_files -/";
    }
    // '(-f --format)'{-f,--format}'[...]', or '--strict[...]'
    std::string spec = o.names.size() > 1
                           ? (head.empty() ? "" : "'" + head + "'") + "{" + join(o.names, ",") + "}'" + tail + "'"
                           : "'" + head + o.names[0] + tail + "'";
    specs.push_back(spec);
  }
  // Positionals: a helper offers their words (then files).
  int index = 0;
  for (const Opt& p : positionals(app)) {
    ++index;
    const OptionDoc& d = *p.doc;
    std::string which = p.o->get_expected_max() > 1 ? "*" : std::to_string(index);
    std::string action = d.value == OptionDoc::Value::File ? "_files" : "";
    if (!d.choices.empty()) {
      const std::string helper = "_" + shell_name(app) + "_" + lower(p.o->get_name(true));
      out += helper + "() {\n  local -a words\n  words=(\n";
      for (const Choice& c : d.choices) {
        std::vector<std::string> w = c.words.empty() ? std::vector<std::string>{c.name} : c.words;
        for (const auto& x : w) out += "    '" + zsh_quoted(replace_all(x, ":", "\\:") + ":" + c.help) + "'\n";
      }
      out += "  )\n  _describe -t values '" + zsh_quoted(lower(p.value)) + "' words -S ''\n";
      if (!action.empty()) out += "  " + action + "\n";
      out += "}\n";
      action = helper;
    }
    specs.push_back("'" + which + ":" + zsh_quoted(zsh_message(p.value)) + ":" + action + "'");
  }
  out += "_arguments -s -S \\\n";
  for (size_t i = 0; i < specs.size(); ++i) out += "  " + specs[i] + (i + 1 < specs.size() ? " \\\n" : "\n");
  return out;
}

// ---- fish -----------------------------------------------------------------------

std::string fish_quoted(const std::string& s) {
  return "'" + replace_all(replace_all(s, "\\", "\\\\"), "'", "\\'") + "'";
}

std::string fish(const CLI::App& app) {
  const std::string name = app.get_name();
  std::string out = "# fish completion for " + name + " (stream-utils)\n";
  out += "# Written by `" + name + " --generate=fish`: edit the option definitions, then run scripts/gen-docs.\n";
  bool durations = false;
  for (const Opt& o : options(app)) durations |= !o.value.empty() && o.doc->examples == duration_examples();
  if (durations) {
    // A duration: the usual ones, or the number typed so far with each unit.
    out += "function __stream_utils_durations\n";
    out += "    set -l typed (commandline -ct | string replace -r -- '^--[^=]*=' '')\n";
    out += "    if string match -qr -- '^[0-9]+$' $typed\n";
    out += "        printf '%s\\n' $typed{ms,s,m,h,d}\n";
    out += "    else\n";
    out += "        printf '%s\\n' " + join(duration_examples(), " ") + "\n";
    out += "    end\n";
    out += "end\n";
  }
  for (const Opt& o : options(app)) {
    std::string line = "complete -c " + name;
    for (const auto& n : o.names) line += (n.size() > 2 ? " -l " + n.substr(2) : " -s " + n.substr(1));
    if (!o.value.empty()) {
      std::vector<std::string> words = value_words(*o.doc);
      if (o.doc->examples == duration_examples())
        line += " -x -a '(__stream_utils_durations)'";
      else if (!words.empty())
        line += " -x -a " + fish_quoted(join(words, " "));
      else if (o.doc->value == OptionDoc::Value::File)
        line += " -r -F";
      else if (o.doc->value == OptionDoc::Value::Directory)
        line += " -x -a '(__fish_complete_directories)'";
      else
        line += " -x";
    }
    out += line + " -d " + fish_quoted(brief(o.help)) + "\n";
  }
  for (const Opt& p : positionals(app)) {
    for (const Choice& c : p.doc->choices) {
      std::vector<std::string> w = c.words.empty() ? std::vector<std::string>{c.name} : c.words;
      out += "complete -c " + name + " -a " + fish_quoted(join(w, " ")) + " -d " + fish_quoted(c.help) + "\n";
    }
  }
  return out;
}

}  // namespace

std::string markup_to_roff(std::string_view s, const std::vector<std::string>& italic) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    const bool word_start = i == 0 || !(is_word_char(s[i - 1]) || s[i - 1] == '-');
    if (c == '`') {
      size_t end = s.find('`', i + 1);
      if (end != std::string_view::npos) {
        out += "\\fB" + roff_literal(s.substr(i + 1, end - i - 1)) + "\\fR";
        i = end + 1;
        continue;
      }
    }
    if (c == '*' && i + 1 < s.size() && s[i + 1] != ' ') {
      size_t end = s.find('*', i + 1);
      if (end != std::string_view::npos && s[end - 1] != ' ') {
        out += "\\fI" + roff_literal(s.substr(i + 1, end - i - 1)) + "\\fR";
        i = end + 1;
        continue;
      }
    }
    // A new sentence starts a new line (roff then spaces sentences right).
    if ((c == '.' || c == '!' || c == '?') && i + 2 < s.size() && s[i + 1] == ' ' &&
        ((s[i + 2] >= 'A' && s[i + 2] <= 'Z') || s[i + 2] == '`')) {
      out += c;
      out += '\n';
      i += 2;
      continue;
    }
    if (c == '\n') {
      if (i + 1 < s.size() && s[i + 1] == '\n') {
        out += "\n.IP\n";
        i += 2;
      } else {
        out += '\n';
        ++i;
      }
      continue;
    }
    if (word_start && s.substr(i, 2) == "--" && i + 2 < s.size() && s[i + 2] >= 'a' && s[i + 2] <= 'z') {
      size_t end = i + 2;
      while (end < s.size() && (is_word_char(s[end]) || s[end] == '-')) ++end;
      out += "\\fB" + roff_literal(s.substr(i, end - i)) + "\\fR";
      i = end;
      continue;
    }
    if (word_start && is_word_char(c)) {
      size_t end = i;
      while (end < s.size() && is_word_char(s[end])) ++end;
      std::string_view word = s.substr(i, end - i);
      if (std::find(italic.begin(), italic.end(), word) != italic.end()) {
        out += "\\fI" + std::string(word) + "\\fR";
        i = end;
        continue;
      }
    }
    i += roff_char(s, i, false, out);
  }
  // A line may not start with a control character.
  std::string safe;
  for (size_t k = 0; k < out.size(); ++k) {
    bool line_start = k == 0 || out[k - 1] == '\n';
    if (line_start && (out[k] == '.' || out[k] == '\'') && out.compare(k, 4, ".IP\n") != 0) safe += "\\&";
    safe += out[k];
  }
  return safe;
}

namespace {
struct Example {
  const char* what;  // a comment line
  const char* command;
};
struct ToolExamples {
  std::string_view tool;
  std::vector<Example> examples;
};

// A few commands each tool's --help shows (its man page has more, with their
// output). Looked up by the tool's name.
const std::vector<ToolExamples>& examples_table() {
  static const std::vector<ToolExamples> table = {
      {"stream-parse",
       {{"records from a CSV file with a header", "stream-parse sensors.csv"},
        {"a live access log, bad lines kept for later",
         "tail -F access.log | stream-parse --format combined --rejects bad.ndjson"}}},
      {"stream-window",
       {{"per-minute counts of readings", "stream-window --time time --tumbling 1m readings.ndjson | stream-agg count"},
        {"moving average of the last 5 readings of each sensor",
         "stream-window --count 5 --slide 1 --by sensor readings.ndjson | stream-agg --by sensor mean:temperature"}}},
      {"stream-agg",
       {{"mean temperature and readings of each sensor",
         "stream-agg --by sensor count mean:temperature readings.ndjson"},
        {"per-minute request counts and 99th percentile sizes by status",
         "stream-window --time time --tumbling 1m log.ndjson | stream-agg --by status count p99:bytes"},
        {"a live dashboard: a snapshot each 5 s (\"_snapshot\":true), the results at the end",
         "tail -f readings.ndjson | stream-agg --every 5s --by sensor mean:temperature"}}},
      {"stream-sink-sqlite",
       {{"load a file of records, then query it", "stream-sink-sqlite sensors.db --table readings < sensors.ndjson"},
        {"per-minute counts by status, one row per minute and status, updated as windows close",
         "stream-window --time time --tumbling 1m log.ndjson | stream-agg --by status count |\n"
         "    stream-sink-sqlite traffic.db --upsert window_start,status"}}},
  };
  return table;
}
}  // namespace

std::string help_epilogue(const CLI::App& app) {
  std::string out;
  for (const ToolExamples& t : examples_table()) {
    if (t.tool != app.get_name()) continue;
    out += "Examples:\n";
    for (const Example& e : t.examples) {
      out += "  # ";
      out += e.what;
      out += "\n  ";
      out += e.command;
      out += "\n";
    }
    out += "\n";
  }
  out +=
      "Exit status:\n"
      "  0  all input processed, nothing rejected\n"
      "  1  all input processed, some lines rejected (see stderr or --rejects)\n"
      "  2  usage error: a bad option or argument\n"
      "  3  fatal error (a file that cannot be opened, a database error, --strict);\n"
      "     what was processed before it is written out\n"
      "After SIGINT or SIGTERM the tool emits what it holds, then dies by the signal.\n";
  return out;
}

const std::vector<std::string>& doc_kinds() {
  static const std::vector<std::string> kinds = {"man", "bash", "zsh", "fish"};
  return kinds;
}

std::string generate_docs(const CLI::App& app, std::string_view kind) {
  if (kind == "man") return man(app);
  if (kind == "bash") return bash(app);
  if (kind == "zsh") return zsh(app);
  if (kind == "fish") return fish(app);
  throw UsageError("--generate: expected " + join(doc_kinds(), ", ") + ", got '" + std::string(kind) + "'");
}

}  // namespace su
