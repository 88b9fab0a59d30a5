// stream-sink-sqlite: NDJSON records from stdin into a SQLite table, in
// batched transactions, readable while it runs, with upserts.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <string>
#include <vector>

#include "pipeline.hpp"
#include "sink.hpp"
#include "sqlite_db.hpp"
#include "su/core/error.hpp"
#include "su/tool.hpp"
#include "su/core/units.hpp"
#include "table_writer.hpp"

namespace {

struct Options {
  su::CommonOptions common;
  std::string db;
  sink::WriterOptions writer;
  std::string busy_timeout = "30s";
  bool durable = false;
  bool tee = false;
};

// After SIGINT/SIGTERM, keep reading until upstream finishes, at most this long.
constexpr int kDrainMs = 3000;

int busy_timeout_ms(const std::string& text) {
  int64_t ns = su::duration_arg("--busy-timeout", text);
  return int(std::min<int64_t>(ns / 1000000, INT_MAX));
}

void check(const Options& o) {
  if (o.writer.table.empty()) throw su::UsageError("--table: the name is empty");
  if (o.writer.batch == 0) throw su::UsageError("--batch: must be at least 1");
  for (const std::string& k : o.writer.keys)
    if (k.empty()) throw su::UsageError("--upsert: empty key name");
}

// For the tests only (not a user option): STREAM_SINK_SQLITE_TEST_MAX_PAGES=N
// caps the database at N pages, so a test can fill the "disk".
void test_hooks(sink::Db& db) {
  const char* pages = std::getenv("STREAM_SINK_SQLITE_TEST_MAX_PAGES");
  if (!pages) return;
  std::string_view p(pages);
  if (p.empty() || p.find_first_not_of("0123456789") != std::string_view::npos) return;
  db.exec("PRAGMA max_page_count=" + std::string(p));
}

int run(Options& o) {
  check(o);
  su::InputReader in({}, o.common.max_line_bytes());
  in.set_read_after_stop(true);
  su::Output out(1);
  su::Diagnostics diag("stream-sink-sqlite", o.common);
  sink::Db db(o.db, busy_timeout_ms(o.busy_timeout), o.durable);
  test_hooks(db);
  sink::TableWriter writer(db, o.writer);
  // Parsing here, SQLite on a second thread, which alone writes and rejects.
  sink::Pipeline rows(writer, diag, o.common.strict && o.tee);
  sink::Sink handler(o.tee, rows, writer, out);
  su::LoopOptions lo;
  lo.forward_control = o.tee && o.common.control_enabled();
  lo.drain_after_stop_ms = kDrainMs;
  return su::RecordLoop(in, out, diag, handler, lo).run();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Write NDJSON records from stdin into a SQLite table, in batched transactions, readable while it runs.",
               "stream-sink-sqlite"};
  Options o;
  app.add_option("db", o.db, "SQLite database file (created when missing)")->required()->type_name("DB");
  app.add_option("-t,--table", o.writer.table, "Table to write (created when missing); default records")
      ->type_name("NAME");
  app.add_option("--upsert", o.writer.keys, "Make these fields unique keys and update rows that have the same keys")
      ->delimiter(',')
      ->type_name("K1,K2");
  app.add_flag("--truncate", o.writer.truncate, "Empty the table in the same transaction as the first new rows");
  app.add_flag("--no-alter", o.writer.no_alter, "Reject records with fields that are not columns (no ALTER TABLE)");
  app.add_option("--batch", o.writer.batch, "Rows per transaction; default 10000")->type_name("N");
  app.add_flag("--durable", o.durable, "synchronous=FULL: a commit survives a power loss (slower)");
  app.add_option("--busy-timeout", o.busy_timeout, "Wait this long for other writers; default 30s")
      ->type_name("DURATION");
  app.add_flag("--tee", o.tee, "Copy every input record (control records included) to stdout");
  su::add_common_options(app, o.common, /*with_inputs=*/false);
  return su::run_tool(app, argc, argv, [&] { return run(o); });
}
