// The sink's record callbacks for the shared record loop (su::RecordLoop):
// a data record's fields go to the table, a close record commits the
// transaction, --tee copies lines to stdout; rows, rejects and commits go
// to the SQLite thread (pipeline.hpp) in line order (CONTRACT 3, 5).
#pragma once
#include <string>
#include <vector>

#include "pipeline.hpp"
#include "su/output.hpp"
#include "su/record_loop.hpp"
#include "table_writer.hpp"

namespace sink {

class Sink : public su::RecordHandler {
 public:
  // --tee: copy each data record's line to `out` (control records: the
  // loop's forward_control).
  Sink(bool tee, Pipeline& rows, TableWriter& writer, su::Output& out)
      : tee_(tee), rows_(rows), writer_(writer), out_(out) {}

  std::string read(const su::Line& line, simdjson::ondemand::document& doc) override;
  std::string apply(const su::Line& line) override;
  void control(const su::Line&, const su::control::Record& c) override;
  // Stored in the transaction of the rows before it (CONTRACT 9).
  bool checkpoint(const su::Line& l, const su::control::Record& c) override;
  bool reject(const su::Line& line, std::string_view reason) override {
    rows_.reject(line, reason);
    return true;
  }
  // While idle, wake up this often to notice a stop signal.
  int timeout_ms() override { return 500; }
  void after_block() override { rows_.end_block(); }
  // CONTRACT 6: commit before waiting for input (the loop then flushes).
  void before_block() override { rows_.sync(); }
  // The rest goes to the SQLite thread, which ends; the last commit.
  void finish(bool complete) override {
    rows_.finish();
    writer_.finish(complete);
  }
  // CONTRACT 6: what was processed before an error stays committed.
  void abort() noexcept override {
    rows_.stop();  // the SQLite thread writes what it was given, and ends
    writer_.salvage();
  }

 private:
  // Copies the texts of fields_ that point outside the line (unescaped into
  // the parser's buffer, which the next document reuses).
  void own(std::string_view line);
  void drop_duplicate_names();

  bool tee_;
  Pipeline& rows_;
  TableWriter& writer_;
  su::Output& out_;
  std::vector<Field> fields_;
  std::string owned_;
};

}  // namespace sink
