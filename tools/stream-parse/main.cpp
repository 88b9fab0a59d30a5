// stream-parse: raw input (CSV, TSV, NDJSON, logfmt, access logs, syslog, any
// regex with named groups) to NDJSON records.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "parser.hpp"
#include "resume.hpp"
#include "sample.hpp"
#include "su/core/error.hpp"
#include "su/core/units.hpp"
#include "su/follow.hpp"
#include "su/formats/format_table.hpp"
#include "su/http_ingest.hpp"
#include "su/json/control.hpp"
#include "su/listen.hpp"
#include "su/net/cidr.hpp"
#include "su/options.hpp"
#include "su/serve/access.hpp"
#include "su/serve/ingest.hpp"
#include "su/tool.hpp"

namespace {

using su::parse::Options;
using su::parse::Parser;
using su::parse::Sample;

// --listen: binds every address (a `:0` port is said on stderr, for scripts)
// and reads the connections after the files. The HTTP servers, when any,
// are returned: they must go before the reader, the output and the
// diagnostics they use.
std::unique_ptr<su::HttpIngest> start_listening(const Options& o, su::InputReader& in, su::Output& out,
                                                su::Diagnostics& diag) {
  su::ListenOptions lo;
  lo.max_clients = o.max_clients;
  lo.max_line = o.common.max_line_bytes();
  if (!o.client_timeout.empty())
    lo.client_timeout_ms = std::max<int64_t>(su::duration_arg("--client-timeout", o.client_timeout) / 1000000, 1);
  if (!o.max_buffered.empty()) lo.max_buffered = size_t(su::size_arg("--max-buffered", o.max_buffered));
  lo.tls_cert = o.tls_cert;
  lo.tls_key = o.tls_key;
  lo.tls_client_ca = o.tls_client_ca;
  lo.allow = o.allow;
  std::vector<std::string> sockets, http;
  for (const std::string& a : o.listen) (su::serve::is_http_address(a) ? http : sockets).push_back(a);
  auto l = std::make_unique<su::Listener>(sockets, lo);
  l->on_warning([&diag](const std::string& m) { diag.warn(m); });
  for (size_t i = 0; i < sockets.size(); ++i) {
    const std::string& a = sockets[i];
    if (a.size() >= 2 && a.compare(a.size() - 2, 2, ":0") == 0) diag.warn("listening on " + l->bound()[i]);
  }
  std::unique_ptr<su::HttpIngest> ingest;
  if (!http.empty()) {
    su::HttpIngestOptions ho;
    if (!o.token_file.empty()) ho.token = su::read_token_file(o.token_file);
    ho.tls_cert = o.tls_cert;
    ho.tls_key = o.tls_key;
    ho.tls_client_ca = o.tls_client_ca;
    ho.max_request = size_t(su::size_arg("--max-request", o.max_request));
    ho.max_clients = o.max_clients;
    ho.max_rate = o.max_rate;
    ho.max_line = lo.max_line;
    ho.allow = o.allow;
    if (lo.client_timeout_ms > 0) ho.read_timeout_s = int(std::max<int64_t>((lo.client_timeout_ms + 999) / 1000, 1));
    ingest = std::make_unique<su::HttpIngest>(http, ho, *l, out, diag);
    for (size_t i = 0; i < http.size(); ++i)
      if (su::serve::parse_http_address(http[i]).port == 0) diag.warn("listening on " + ingest->bound()[i]);
  }
  in.listen(std::move(l));
  return ingest;
}

// The HTTP ingest options make sense only with an http:// or https:// address.
void check_http_options(const Options& o) {
  bool http = false, https = false;
  for (const std::string& a : o.listen) {
    if (!su::serve::is_http_address(a)) {
      su::ListenAddress::parse(a);  // a bad address is a usage error
      continue;
    }
    const su::serve::HttpAddress h = su::serve::parse_http_address(a);
    (h.tls ? https : http) = true;
  }
  if (!http && !https) {
    if (!o.token_file.empty()) throw su::UsageError("--token needs an http:// or https:// --listen address");
    if (o.max_request != "64M") throw su::UsageError("--max-request needs an http:// or https:// --listen address");
  } else if (o.format == "auto") {
    throw su::UsageError("--listen http://: name the records' --format (each request is parsed in it)");
  }
  su::size_arg("--max-request", o.max_request);
  if (o.max_rate < 0) throw su::UsageError("--max-rate: must be 0 (no limit) or more");
}

// --tls-cert and --tls-key go together, and with a tls:// (or https://) address.
void check_tls_options(const Options& o) {
  bool tls = false;
  for (const std::string& a : o.listen) tls |= a.rfind("tls://", 0) == 0 || a.rfind("https://", 0) == 0;
  if (tls && (o.tls_cert.empty() || o.tls_key.empty()))
    throw su::UsageError("--listen tls:// or https://: needs --tls-cert FILE and --tls-key FILE");
  if (!tls && !(o.tls_cert.empty() && o.tls_key.empty() && o.tls_client_ca.empty()))
    throw su::UsageError("--tls-cert, --tls-key and --tls-client-ca need --listen tls://HOST:PORT or https://");
  su::net::AllowList check;  // a bad --allow is a usage error
  for (const std::string& a : o.allow) check.add(a);
  if (!o.allow.empty() && o.listen.empty()) throw su::UsageError("--allow needs --listen");
  if (!o.max_buffered.empty()) su::size_arg("--max-buffered", o.max_buffered);
}

int run(Options& o) {
  if (!o.regex.empty()) {
    if (o.format != "auto" && o.format != "regex")
      throw su::UsageError("--regex cannot be used with --format " + o.format);
    o.format = "regex";
  } else if (o.format == "regex") {
    throw su::UsageError("--format regex needs --regex PATTERN");
  }
  su::parse::delimiter_char(o.delimiter, ',');  // a bad --delimiter is a usage error even on empty input
  if (!o.follow) {
    if (o.once) throw su::UsageError("--once needs --follow");
    if (!o.resume.empty()) throw su::UsageError("--resume needs --follow");
  } else {
    if (o.common.inputs.empty() ||
        std::find(o.common.inputs.begin(), o.common.inputs.end(), "-") != o.common.inputs.end())
      throw su::UsageError("--follow needs FILE names (stdin cannot be followed: it has no name to reopen)");
  }
  if (!o.rotated.empty() && o.resume.empty()) throw su::UsageError("--rotated needs --resume");
  if (!o.listen.empty() && o.follow) throw su::UsageError("--listen cannot be used with --follow");
  if (o.max_clients == 0) throw su::UsageError("--max-clients: must be at least 1");
  check_http_options(o);
  if (!o.client_timeout.empty()) su::duration_arg("--client-timeout", o.client_timeout);
  check_tls_options(o);
  su::InputReader in(o.common.inputs, o.common.max_line_bytes());
  su::Output out(1);
  su::Diagnostics diag("stream-parse", o.common);
  su::flush_before_block(in, out, diag);
  in.watch_output(out.fd());
  const bool control = o.common.control_enabled();
  if (o.follow) {
    su::FollowOptions fo;
    fo.once = o.once;
    auto follower = std::make_unique<su::Follower>(o.common.inputs, fo);
    for (size_t i = 0; i < o.common.inputs.size() && !o.resume.empty(); ++i) {
      const std::string& name = o.common.inputs[i];
      std::optional<su::parse::StoredCheckpoint> c = su::parse::load_checkpoint(o.resume, su::absolute_path(name));
      if (!c) continue;  // no checkpoint of it: from its start
      su::parse::ResumePlan plan = su::parse::plan_resume(name, *c, o.rotated, diag);
      follower->resume(i, plan.before, plan.start_of_name);
      // The stored checkpoint first: downstream tools resume with its watermark.
      if (control && !c->record.empty()) {
        out.write(c->record);
        out.put('\n');
      }
    }
    in.follow(std::move(follower));
  }
  std::unique_ptr<su::HttpIngest> http;  // before `in`, `out` and `diag` go
  if (!o.listen.empty()) http = start_listening(o, in, out, diag);
  // Installed once the lines read ahead (--format auto) are written.
  auto start_checkpoints = [&] {
    if (!o.follow || !control) return;
    in.on_checkpoint([&out](const su::ReadPosition& p) {
      su::control::Checkpoint c;
      c.source = p.source;
      c.file = p.file;
      c.offset = p.offset;
      c.line = p.line;
      c.size = p.size;
      su::control::append_checkpoint(out.buf(), c);
      out.end_record();
    });
  };
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
    start_checkpoints();
    return loop.run();
  }
  for (const su::Line& l : sample.lines()) parser.line(l);
  start_checkpoints();
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
  CLI::Option* follow = app.add_flag(
      "-F,--follow", o.follow,
      "Follow the FILEs like tail -F: read each to its end, then wait for more; rotation by rename or copytruncate "
      "loses no line; writes checkpoint records");
  su::doc(follow).man =
      "Each FILE is its own source (its own CSV header and line numbers), known by device, inode and a fingerprint "
      "of its first 1 KiB: a file renamed away is read to its end through its open descriptor (until it has been "
      "quiet for a second), then the new file from its start; a file that shrinks, or whose first bytes change "
      "(copytruncate), is read again from 0; a FILE that does not exist yet is waited for. A last line without a "
      "newline is left until its newline comes (or its file is rotated away). With control records on, a "
      "`checkpoint` record follows each block read and comes before each wait: stream-sink-sqlite stores it with "
      "the rows before it, and `--resume` starts from it.";
  app.add_flag("--once", o.once,
               "With --follow: read every FILE to its current end, then end (for cron; a partial last line is left "
               "for the next run)");
  CLI::Option* resume =
      app.add_option("--resume", o.resume,
                     "With --follow: start each FILE at the checkpoint stored in this stream-sink-sqlite database "
                     "(none: from the start)")
          ->type_name("DB");
  su::doc(resume).man =
      "The database is opened read-only. The checkpointed file is found by its fingerprint among FILE and its "
      "rotated siblings (`FILE.1`, `FILE-20261128`, ...; `--rotated` for other names): the rest of it is read, then "
      "the siblings written after it, oldest first, then FILE. A checkpointed file that is gone (deleted, or "
      "compressed) is reported with the bytes known lost, reading goes on from the oldest sibling written after "
      "the checkpoint, and the exit status is 1. The stored checkpoint is written first, so a resumed stream-window "
      "starts from its watermark.";
  app.add_option("--rotated", o.rotated, "With --resume: where rotated FILEs go when not FILE.* or FILE-* (repeatable)")
      ->allow_extra_args(false)  // `--rotated 'old/*' FILE`: FILE is an input
      ->type_name("GLOB");
  CLI::Option* listen =
      app.add_option("-l,--listen", o.listen,
                     "Receive lines from the network: tcp://HOST:PORT, :PORT (127.0.0.1), tcp://[::1]:PORT, "
                     "tls://HOST:PORT, udp://HOST:PORT, unix:/path, or POSTs to http://HOST:PORT/PATH or "
                     "https://HOST:PORT/PATH; each connection, UDP sender or request body is a source of its own "
                     "(repeatable; read after the FILEs)")
          ->allow_extra_args(false)
          ->type_name("ADDR");
  su::doc(listen).man =
      "Many clients may send at once. Each connection is a source of its own: its own CSV/TSV header, its own line "
      "numbers, and a name in diagnostics and rejects such as `tcp:127.0.0.1:53122` or `unix:/run/in.sock#3`. A "
      "line is never cut or mixed with another connection's; a last line without a newline is a record when its "
      "connection ends. Sockets are read only as fast as stdout is written: when the next stage is slow, the "
      "senders wait (TCP back-pressure) and nothing is lost or held without bound. Without FILEs, stdin is not "
      "read. Port 0 takes a free port, said on stderr (`listening on tcp://127.0.0.1:41234`). A unix socket left "
      "by an earlier run is replaced, and removed at the end. On SIGINT or SIGTERM it stops accepting, reads what "
      "the clients already sent until the sockets have been quiet for 0.1 s (at most 5 s; a second signal: at once), "
      "writes it, and dies by the signal.\n\n"
      "`tls://` needs `--tls-cert` and `--tls-key`; sources are named `tls:HOST:PORT`. `udp://`: each datagram holds "
      "one or more lines, and its end ends its last line; each sender address is a source of its own "
      "(`udp:HOST:PORT`, its CSV header the first line it sent), ended after `--client-timeout` without a datagram "
      "(default 60 s). UDP has no back-pressure: datagrams the kernel drops while its receive buffer is full are "
      "counted (SO_RXQ_OVFL) and said on stderr when the count grows (at most once a second) and at the end.\n\n"
      "With `http://HOST:PORT/PATH` (or `https://`, with `--tls-cert` and `--tls-key`), each POST to PATH is a "
      "source of its own, named like `http:127.0.0.1:53122#7`: its body holds records in the `--format` named (a "
      "CSV body starts with its header), sent whole or chunked. The answer comes once its records were written to "
      "stdout: status 200 and `{\"accepted\":N,\"rejected\":M,\"rejects\":[{\"line\":L,\"reason\":\"...\"}]}` "
      "(the first 10 rejects; all of them are on stderr and in `--rejects` as usual). A body cut short (the client "
      "gone, fewer bytes than its Content-Length, a broken chunked encoding) keeps the complete lines that came; "
      "its partial last line is rejected, and the answer, when the client still reads it, has status 400 and an "
      "`\"error\"`. Other answers: 404 (another path), 405 (not POST), 401 (`--token`), 413 (`--max-request`), 415 "
      "(a form upload), 429 (`--max-rate`), 503 (`--max-clients`, or stopping). A body is read only as fast as "
      "stdout is written: when the next stage is slow, the client waits. On a stop signal the servers stop "
      "accepting; requests in flight are read during the short drain and answered.";
  app.add_option("--max-clients", o.max_clients,
                 "With --listen: at most this many connections at once; more are closed at accept, with a warning "
                 "(HTTP: answered 503)")
      ->type_name("N")
      ->default_str("1024");
  app.add_option("--client-timeout", o.client_timeout,
                 "With --listen: close a connection that sends nothing for this long (e.g. 30s, 5m; its partial "
                 "last line is a record); default: never (HTTP: a request body that stalls this long is cut short; "
                 "default 30s)")
      ->type_name("D");
  su::doc(su::add_file(app, "--tls-cert", o.tls_cert,
                       "With --listen tls:// or https://: the server's certificate (PEM; a chain: the server's "
                       "first; with --tls-key)"))
      .man =
      "TLS 1.2 or later; a client that does not speak TLS, or fails the handshake, is refused with a warning. "
      "Handshakes never block: a slow client does not stall the others, and one not done in 10 s is refused.";
  su::add_file(app, "--tls-key", o.tls_key,
               "With --listen tls:// or https://: the private key of --tls-cert (PEM, unencrypted)");
  su::add_file(app, "--tls-client-ca", o.tls_client_ca,
               "With --listen tls:// or https://: mutual TLS: clients must present a certificate signed by this CA "
               "(PEM); others are refused");
  su::doc(
      app.add_option("--allow", o.allow,
                     "With --listen: accept only peers in these address ranges (CIDR, IPv4 or IPv6, e.g. "
                     "10.0.0.0/8,::1); others are closed at accept (UDP: their datagrams dropped; HTTP: answered 403)")
          ->delimiter(',')
          ->allow_extra_args(false)
          ->type_name("CIDR,..."))
      .man =
      "Repeatable. A single address is a /32 (IPv4) or /128 (IPv6); an IPv4 client of a dual-stack socket "
      "(::ffff:a.b.c.d) matches the IPv4 ranges. A refused address is logged once (with a warning), and "
      "counted; unix: sockets are not filtered.";
  su::doc(app.add_option("--max-buffered", o.max_buffered,
                         "With --listen: most bytes of partial lines held across all connections; over it, only "
                         "the connection holding most is read until it ends its line")
              ->type_name("SIZE")
              ->default_str("256M"))
      .man =
      "Memory stays near this plus one `--max-line` whatever the clients send. A client that holds a long "
      "partial line and goes quiet holds the others back until `--client-timeout` closes it.";
  CLI::Option* source_field =
      app.add_option("--source-field", o.source_field,
                     "Add the name of each record's source as this field, at the end: the file, stdin, or the "
                     "connection (tcp:127.0.0.1:53122)")
          ->type_name("NAME");
  su::doc(source_field).man =
      "The name is the one of diagnostics and rejects: a FILE as given, `stdin`, a followed file's path, or a "
      "connection's `tcp:HOST:PORT` or `unix:/path#N`. Control records get no such field. A record that already "
      "has a field of that name gets a second one: pick a name the input does not use.";
  CLI::Option* token =
      su::add_file(app, "--token", o.token_file,
                   "With --listen http://: require the token on the first line of FILE (Authorization: Bearer)");
  su::doc(token).man =
      "Requests without it, or with another token, get status 401. The token is compared in "
      "constant time.";
  app.add_option("--max-request", o.max_request,
                 "With --listen http://: the largest request body (e.g. 64M, the default); a larger one gets "
                 "status 413")
      ->type_name("SIZE");
  CLI::Option* rate = app.add_option("--max-rate", o.max_rate,
                                     "With --listen http://: at most N requests a second over all clients (a burst "
                                     "of N); more get status 429 with Retry-After; 0: no limit")
                          ->type_name("N")
                          ->default_str("1000");
  su::doc(rate).man = "A client that posts batches of records (a few hundred or more a request) stays far below it.";
  su::add_common_options(app, o.common);
  return su::run_tool(app, argc, argv, [&] { return run(o); });
}
