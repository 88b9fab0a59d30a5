// stream-serve: NDJSON records served over HTTP(S): a live dashboard page,
// Server-Sent Events with a resumable history, the latest record per key,
// and a health check.
#include <CLI/CLI.hpp>

#include "options.hpp"
#include "su/options.hpp"
#include "su/tool.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "Serves NDJSON records over HTTP: a live dashboard (charts of the --y fields, a table of the latest record "
      "per key), Server-Sent Events at /events, the latest records at /latest, and /health. It never slows the "
      "pipeline: a client that falls behind is dropped.",
      "stream-serve"};
  stream_serve::Options o;
  CLI::Option* listen = app.add_option("-l,--listen", o.listen,
                                       "Address to serve on: HOST:PORT, [IPV6]:PORT or PORT (default "
                                       "127.0.0.1:8080; port 0: any free port)")
                            ->type_name("ADDR");
  su::doc(listen).man =
      "The URL served is printed on standard error. An address other machines can reach (not 127.0.0.0/8, ::1 "
      "or localhost) is refused without --token, unless --no-auth says so.";
  su::doc(listen).examples = {"127.0.0.1:8080", "0.0.0.0:8443", "[::1]:8080"};
  app.add_option("-y,--y", o.y, "Fields the dashboard charts, one line each")
      ->delimiter(',')
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->type_name("F1,F2");
  CLI::Option* x =
      app.add_option("-x,--x", o.x, "Field of the chart's x axis: a time or a number (default: the event id)")
          ->type_name("FIELD");
  su::doc(x).man =
      "A string is read by the browser as a time (RFC 3339) and labelled in UTC; a number is used as it is.";
  CLI::Option* by = app.add_option("-b,--by", o.by,
                                   "Key field: one line per value (per --y field), one row of "
                                   "the latest table per value")
                        ->type_name("FIELD");
  su::doc(by).man = "Without it, /latest is the newest record and the table has one row.";
  app.add_option("--title", o.title, "Title of the dashboard")->type_name("TEXT");
  su::add_count(app, "--points", o.points, "Points the dashboard keeps per line (default 2000)", "points");
  CLI::Option* history =
      su::add_count(app, "--history", o.history,
                    "Events kept for clients that resume (Last-Event-ID) and the most a client may fall behind "
                    "(default 10000)",
                    "events");
  su::doc(history).man =
      "The events are one ring shared by every client: each client is a place in it, so memory does not grow "
      "with the number of clients. A client more than N events behind the newest (fewer with --history-size) is "
      "dropped, with a line on "
      "standard error; its browser reconnects and resumes from what is still held.";
  CLI::Option* history_size = su::add_size(app, "--history-size", o.history_bytes,
                                           "At most this much memory for the --history events (default 64M)");
  su::doc(history_size).man =
      "Fewer events are then kept when records are long; the newest is always kept. With --max-line, this "
      "bounds the server's memory whatever the records and the number of clients.";
  su::add_count(app, "--max-keys", o.max_keys, "Keys kept in /latest and the table (default 1000)", "keys");
  su::add_count(app, "--max-clients", o.max_clients, "Event streams served at once; more get status 503 (default 256)",
                "clients");
  CLI::Option* tee = app.add_flag("--tee", o.tee,
                                  "Copy the input records to stdout, so the server can sit "
                                  "in a pipeline");
  su::doc(tee).man =
      "Control records are passed on too (see --control). Standard output is closed at the end of input, so the "
      "next stage ends, while the server goes on serving.";
  su::add_file(app, "--tls-cert", o.tls_cert, "Serve HTTPS with this certificate (PEM; with --tls-key)");
  su::add_file(app, "--tls-key", o.tls_key, "The private key of --tls-cert (PEM, unencrypted)");
  CLI::Option* token = su::add_file(app, "--token", o.token_file,
                                    "Require the token on the first line of FILE (Authorization: Bearer, or ?token=)");
  su::doc(token).man =
      "The data (/events, /latest, /config.json, and the counts of /health) is then served only to a request "
      "with the header `Authorization: Bearer` *TOKEN* or the query `?token=`*TOKEN* "
      "(a browser's EventSource cannot send headers); others get status 401. The token is compared in constant "
      "time. The page and its scripts hold no data and are served to anyone.";
  app.add_flag("--no-auth", o.no_auth, "Serve a non-loopback address without a token");
  CLI::Option* end = app.add_flag("--exit-at-end", o.exit_at_end,
                                  "Exit at the end of input, once the clients have every event (for scripts)");
  su::doc(end).man =
      "Without it, the server keeps serving the last state after the end of input until SIGINT or SIGTERM. "
      "With it, the event streams end once they hold every event, and the tool exits (waiting at most 5 "
      "seconds for slow clients).";
  su::add_common_options(app, o.common);
  return su::run_tool(app, argc, argv, [&] {
    stream_serve::check_options(o);
    return stream_serve::run(o);
  });
}
