// stream-sink-sqlite: NDJSON records from stdin into a SQLite table, in
// batched transactions, readable while it runs, with upserts.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <climits>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline.hpp"
#include "sink.hpp"
#include "sqlite_db.hpp"
#include "su/core/error.hpp"
#include "su/core/units.hpp"
#include "su/options.hpp"
#include "su/tool.hpp"
#include "table_writer.hpp"

namespace {

struct Options {
  su::CommonOptions common;
  std::string db;
  sink::WriterOptions writer;
  int64_t busy_timeout = int64_t(30) * 1'000'000'000;  // ns
  bool durable = false;
  bool tee = false;
};

// After SIGINT/SIGTERM, keep reading until upstream finishes, at most this long.
constexpr int kDrainMs = 3000;

int busy_timeout_ms(int64_t ns) {
  return int(std::min<int64_t>(ns / 1000000, INT_MAX));
}

// Tables the sink must not write: SQLite's own, and the checkpoints' (sink::kCheckpointTable).

void check(const Options& o) {
  const std::string& t = o.writer.table;
  if (t.empty()) throw su::UsageError("--table: the name is empty");
  if (t.size() >= 7 && sink::same_ident(std::string_view(t).substr(0, 7), "sqlite_")) {
    std::string m = "--table: '";
    m.append(t).append("': names that begin with sqlite_ are reserved for SQLite's own tables");
    throw su::UsageError(m);
  }
  if (sink::same_ident(t, sink::kCheckpointTable)) {
    std::string m = "--table: '";
    m.append(t).append("' is reserved for the checkpoints of the sources");
    throw su::UsageError(m);
  }
  for (const std::string& k : o.writer.keys)
    if (k.empty()) throw su::UsageError("--upsert: empty key name");
  if (o.writer.merge && o.writer.keys.empty())
    throw su::UsageError("--merge needs --upsert KEYS: the rows whose states merge are the ones with the same keys");
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
  lo.watch_output = o.tee;
  lo.drain_after_stop_ms = kDrainMs;
  return su::RecordLoop(in, out, diag, handler, lo).run();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Write NDJSON records from stdin into a SQLite table, in batched transactions, readable while it runs.",
               "stream-sink-sqlite"};
  Options o;
  CLI::Option* db =
      app.add_option("db", o.db, "SQLite database file (created when missing)")->required()->type_name("DB");
  su::doc(db).value = su::OptionDoc::Value::File;
  CLI::Option* table =
      app.add_option("-t,--table", o.writer.table, "Table to write (created when missing); default records")
          ->type_name("NAME");
  su::doc(table).man =
      "A missing table gets its columns from the first record. Names that begin with `sqlite_` (SQLite's own "
      "tables) and `_stream_checkpoints` (where checkpoints are kept) are refused (status 2).";
  CLI::Option* upsert =
      app.add_option("--upsert", o.writer.keys, "Make these fields unique keys and update rows that have the same keys")
          ->delimiter(',')
          ->type_name("K1,K2");
  su::doc(upsert).man =
      "A unique index on them is created (named *table*`_upsert_`*K1*`_`*K2*), and a record whose keys match a row "
      "updates that row's other columns (`INSERT ... ON CONFLICT (K1,K2) DO UPDATE`), so re-running a job over the "
      "same input leaves the table as it was. Only the columns a record has are updated. A record without a key "
      "field, or with a null key, is rejected. Creating the index fails (status 3) when the table already holds "
      "duplicate keys. With other keys than an earlier run, a unique index of those keys that lacks one of the new "
      "ones would refuse rows: the sink stops (status 3) before writing and names it with the `DROP INDEX` to run.";
  CLI::Option* merge = app.add_flag(
      "--merge", o.writer.merge, "With --upsert: merge the _state of a record into the row's, and rewrite its values");
  su::doc(merge).man =
      "For the results of `stream-agg --emit-state`. `_state` is stored as a BLOB; when a record's keys match a row, "
      "the row's state and the record's are merged and every column that is an aggregate of the state is "
      "rewritten from the merged state, in the same statement and transaction. So partial results of many "
      "machines, repeated runs over new data and late corrections add up to the result of one run over all of "
      "it; readers see plain values. A record without a `_state`, or with one that does not decode or was made by "
      "other SPECs than the row's, is rejected.";
  CLI::Option* truncate =
      app.add_flag("--truncate", o.writer.truncate, "Empty the table in the same transaction as the first new rows");
  su::doc(truncate).man =
      "Readers never see it empty: after the run it holds exactly this run's rows. An input read to its end without "
      "any row leaves the table empty; a run stopped by a signal before its first row leaves it untouched.";
  CLI::Option* no_alter =
      app.add_flag("--no-alter", o.writer.no_alter, "Reject records with fields that are not columns (no ALTER TABLE)");
  su::doc(no_alter).man = "A missing table is still created.";
  CLI::Option* batch = su::add_count(app, "--batch", o.writer.batch, "Rows per transaction; default 10000", "rows");
  su::doc(batch).man = "See *TRANSACTIONS AND CRASH SAFETY* for the other commits.";
  CLI::Option* durable =
      app.add_flag("--durable", o.durable, "synchronous=FULL: a commit survives a power loss (slower)");
  su::doc(durable).man =
      "Each commit is on disk before the sink goes on, so it survives a power loss or an operating system crash. "
      "The default, `synchronous=NORMAL`, survives the sink being killed at any moment but may lose the last "
      "commits on a power loss.";
  CLI::Option* busy =
      su::add_duration(app, "--busy-timeout", o.busy_timeout, "Wait this long for other writers; default 30s");
  su::doc(busy).man =
      "Another writer is, say, a `stream-sink-sqlite` of an overlapping cron run; after the wait the "
      "sink fails with status 3.";
  CLI::Option* tee = app.add_flag("--tee", o.tee, "Copy every input record (control records included) to stdout");
  su::doc(tee).man =
      "Unchanged, so the sink can sit in the middle of a pipeline; control records are copied as `--control` says. "
      "Lines that are not JSON objects are rejected and not copied. Lines are copied as they are read, while the "
      "rows are written by a second thread: when a fatal database error stops the sink, up to a few thousand lines "
      "after the failing row may already have been copied (the table holds only what was committed); with "
      "`--strict` nothing after a rejected line is copied.";
  su::add_common_options(app, o.common, /*with_inputs=*/false);
  return su::run_tool(app, argc, argv, [&] { return run(o); });
}
