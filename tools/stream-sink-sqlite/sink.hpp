// The sink's input handling: a data record goes to the table, a close record
// commits the transaction, --tee copies the line to stdout, and anything else
// is rejected (CONTRACT 3, 5). Blocks of lines are parsed in one simdjson pass.
#pragma once
#include <string>
#include <vector>

#include "su/json/json.hpp"
#include "su/output.hpp"
#include "su/tool.hpp"
#include "pipeline.hpp"
#include "table_writer.hpp"

namespace sink {

struct SinkOptions {
  bool tee = false;        // copy each input line to stdout
  bool tee_control = true; // ... control records included (--control)
  std::string max_line;    // for the reject message
};

class Sink {
 public:
  // Rows, rejects and commits go to `rows` (copied), in line order.
  Sink(const SinkOptions& o, Pipeline& rows, su::Output& out);
  // One line.
  void line(const su::Line& l);
  // The lines of a block.
  void block(const su::Block& b);

 private:
  // Parses a data record into fields_; returns "" or a reject reason.
  std::string parse(const su::Line& l);
  // The lines of b from the one at `at` on, with one iterate_many pass;
  // returns the first line it did not handle (b.lines when all).
  uint64_t fast_block(const su::Block& b);
  void record(const su::Line& l);
  void control(const su::Line& l);
  void reject(const su::Line& l, std::string_view reason);
  void tee(std::string_view text);

  const SinkOptions& o_;
  Pipeline& rows_;
  su::Output& out_;
  su::JsonLineParser json_;
  simdjson::ondemand::parser many_;
  simdjson::ondemand::document doc_;
  std::vector<Field> fields_;
};

}  // namespace sink
