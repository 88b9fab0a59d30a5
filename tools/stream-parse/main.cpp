// stream-parse: raw input (CSV, TSV, NDJSON, logfmt, access logs, syslog, any
// regex with named groups) to NDJSON records.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "parser.hpp"
#include "sample.hpp"
#include "su/core/error.hpp"
#include "su/formats/format_table.hpp"
#include "su/options.hpp"
#include "su/tool.hpp"

namespace {

using su::parse::Options;
using su::parse::Parser;
using su::parse::Sample;

int run(Options& o) {
  if (!o.regex.empty()) {
    if (o.format != "auto" && o.format != "regex")
      throw su::UsageError("--regex cannot be used with --format " + o.format);
    o.format = "regex";
  } else if (o.format == "regex") {
    throw su::UsageError("--format regex needs --regex PATTERN");
  }
  su::parse::delimiter_char(o.delimiter, ',');  // a bad --delimiter is a usage error even on empty input
  su::InputReader in(o.common.inputs, o.common.max_line_bytes());
  su::Output out(1);
  su::Diagnostics diag("stream-parse", o.common);
  su::flush_before_block(in, out, diag);
  Parser parser(o, out, diag);
  Sample sample;  // with --format auto: the first lines decide
  if (o.format != "auto") {
    parser.set_format(o.format, in);
  } else {
    if (!sample.read(in)) {
      out.flush();
      diag.finish();
      return diag.exit_status();
    }
    parser.set_format(su::parse::detect(o, sample, in, diag), in);
  }
  if (parser.ndjson()) {
    su::LoopOptions lo;
    lo.forward_control = false;  // the parser writes control records, compacted
    lo.validate_blocks = true;   // records are copied on: every byte checked
    su::RecordLoop loop(in, out, diag, parser, lo);
    for (const su::Line& l : sample.lines()) loop.line(l);
    return loop.run();
  }
  for (const su::Line& l : sample.lines()) parser.line(l);
  su::Line line;
  su::ReadStatus st;
  while ((st = in.next(line)) == su::ReadStatus::Line) parser.line(line);
  parser.finish(st == su::ReadStatus::Eof);
  out.flush();
  diag.finish();
  return diag.exit_status();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Turn raw input (CSV, TSV, NDJSON, logfmt, access logs, syslog, any regex) into NDJSON records.",
               "stream-parse"};
  Options o;
  std::vector<su::Choice> formats;
  for (const auto& f : su::formats()) formats.push_back({f.name, f.help});
  su::add_choice(app, "-f,--format", o.format, formats, "Input format:")->type_name("FORMAT");
  CLI::Option* regex = app.add_option("--regex", o.regex,
                                      "Parse each line with this RE2 pattern; named groups (?P<name>...) become fields")
                           ->type_name("PATTERN");
  su::doc(regex).man = "Implies `--format regex`.";
  app.add_option("-d,--delimiter", o.delimiter, "CSV/TSV field delimiter: one character, or 'tab'")->type_name("CHAR");
  app.add_flag("--no-header", o.no_header, "CSV/TSV input has no header line: fields are named c1, c2, ...");
  app.add_option("--columns", o.columns, "Names for the CSV/TSV columns (implies --no-header)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->type_name("A,B,...");
  app.add_option("--fields", o.fields, "Keep only these fields (in input order)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->type_name("A,B,...");
  CLI::Option* types =
      app.add_option("--types", o.types, "Types for fields: FIELD:int|float|string|bool,...")->type_name("SPEC");
  su::doc(types).man =
      "A `bool` is `true`/`false`, `yes`/`no`, `1`/`0`, `y`/`n` or `t`/`f`. An empty value is null; a value that does "
      "not convert rejects the line.";
  app.add_flag("--no-infer", o.no_infer, "Keep every text value a string (no number inference, no nulls)");
  su::add_common_options(app, o.common);
  return su::run_tool(app, argc, argv, [&] { return run(o); });
}
