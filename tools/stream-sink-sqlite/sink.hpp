// One input line of the sink: a data record goes to the table, a close
// record commits the transaction, --tee copies the line to stdout, and
// anything else is rejected (CONTRACT 3, 5).
#pragma once
#include <string>
#include <vector>

#include "su/json.hpp"
#include "su/output.hpp"
#include "su/tool.hpp"
#include "table_writer.hpp"

namespace sink {

struct SinkOptions {
  bool tee = false;        // copy each input line to stdout
  bool tee_control = true; // ... control records included (--control)
  std::string max_line;    // for the reject message
};

class Sink {
 public:
  Sink(const SinkOptions& o, TableWriter& writer, su::Output& out, su::Diagnostics& diag)
      : o_(o), writer_(writer), out_(out), diag_(diag) {}
  void line(const su::Line& l);

 private:
  // Parses a data record into fields_; returns "" or a reject reason.
  std::string parse(const su::Line& l);
  void control(const su::Line& l);
  void tee(std::string_view text);

  const SinkOptions& o_;
  TableWriter& writer_;
  su::Output& out_;
  su::Diagnostics& diag_;
  su::JsonLineParser json_;
  simdjson::ondemand::document doc_;
  std::vector<Field> fields_;
};

}  // namespace sink
