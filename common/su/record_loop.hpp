// The one NDJSON record loop every NDJSON-reading tool runs: reads blocks of
// lines, parses a whole block with one simdjson stage 1 (per-line fallback
// for what a block cannot vouch for), validates whole lines on the per-line
// path, skips blank lines, rejects over-long and malformed ones, tells
// control records from data records, flushes (or lets the tool commit)
// before it blocks on input, and ends with the exit status. A tool gives it
// a RecordHandler: what to read from a record, what to do with it, what to
// do with a control record, and what to do at the end.
#pragma once
#include <simdjson.h>

#include <string>
#include <string_view>

#include "su/core/line.hpp"
#include "su/input.hpp"
#include "su/json/block.hpp"
#include "su/json/control.hpp"
#include "su/json/field_reader.hpp"
#include "su/json/json.hpp"
#include "su/output.hpp"
#include "su/tool.hpp"

namespace su {

class RecordHandler {
 public:
  virtual ~RecordHandler() = default;
  // Reads what the tool needs from a data record. `doc` is the record's
  // document, valid until the next one is read: copy what must outlive it.
  // Returns empty, or the reason to reject the line. (On the block path a
  // line whose read fails is read again alone, and that reason is the one
  // reported.)
  virtual std::string read(const Line& line, simdjson::ondemand::document& doc) = 0;
  // The same for a record the DOM parser read whole, on the block path
  // (one parse both validates the block and serves the reads), when
  // reads_elements() says the tool can. It must give what read(line, doc)
  // gives for the same line. Returning FieldReader::kNeedsText (or any
  // reason) sends the rest of the block to the per-line path.
  virtual bool reads_elements() const { return false; }
  virtual std::string read(const Line&, simdjson::dom::element) { return "not read"; }
  // Acts on the record read last, now known to be the whole line. Returns
  // empty, or the reason to reject it (e.g. a late record).
  virtual std::string apply(const Line& line) = 0;
  // A control record (validated, members read). The loop then forwards it
  // downstream when LoopOptions::forward_control is set.
  virtual void control(const Line&, const control::Record&) {}
  // A checkpoint record (CONTRACT 9), instead of control(): true to forward
  // it now (LoopOptions::forward_control); a tool that holds records keeps
  // it (false) and writes it itself once no result that depends on a
  // record before it is pending.
  virtual bool checkpoint(const Line&, const control::Record&) { return true; }
  // After control(): false keeps that record from being forwarded (stream-agg
  // --merge --parts N forwards a close once all N parts have sent it).
  virtual bool forward(const control::Record&) { return true; }
  // A reject, in line order; true when the tool reported it itself (the sink
  // hands rejects to its SQLite thread), false to let the loop report it.
  virtual bool reject(const Line&, std::string_view) { return false; }
  // Before each wait for input: how long the loop may wait, in ms (-1: until
  // input comes). Called again after a timeout.
  virtual int timeout_ms() { return -1; }
  // LoopOptions::validate_blocks: a block whose every line is one valid data
  // object, for the tool to take whole; false sends its lines one by one.
  virtual bool take_block(const Block&) { return false; }
  // After each block of lines.
  virtual void after_block() {}
  // Right before the loop blocks on input, ahead of the flush of stdout and
  // the rejects (the sink commits here).
  virtual void before_block() {}
  // End of input (complete) or a stop signal (!complete): emit what is open.
  virtual void finish(bool /*complete*/) {}
  // An error stops the loop: keep what can be kept. Never throws.
  virtual void abort() noexcept {}
};

struct LoopOptions {
  // Write control records to stdout after RecordHandler::control (a tool
  // that does not act on one passes it through: CONTRACT 3).
  bool forward_control = true;
  // After SIGINT/SIGTERM keep reading until upstream finishes, for at most
  // this long; a second signal stops at once (the sink). 0: stop reading.
  int drain_after_stop_ms = 0;
  // End (as after EPIPE) when stdout's reader is gone while waiting for
  // input; off for a tool whose stdout is not its output (the sink).
  bool watch_output = true;
  // Block strategy. false: for tools that read fields. When the handler
  // reads_elements(), one DOM pass over the block (JsonDomBlockReader)
  // validates every byte, as a line alone is checked, and serves the reads;
  // else the block is validated by a DOM pass (JsonBlockValidator::all_valid)
  // and one On-Demand stage 1 over it (JsonBlockReader) reads each record's
  // wanted fields. true: the whole
  // block validated by a DOM pass (JsonBlockValidator) and handed to
  // take_block; for a tool that copies records on (stream-parse).
  bool validate_blocks = false;
  // Read a pipe on a second thread (su::ReadAhead): the kernel's copy of
  // the next bytes overlaps the parsing of these.
  bool read_ahead = false;
};

class RecordLoop {
 public:
  RecordLoop(InputReader& in, Output& out, Diagnostics& diag, RecordHandler& h, LoopOptions o = {});
  RecordLoop(const RecordLoop&) = delete;
  RecordLoop& operator=(const RecordLoop&) = delete;

  // Reads every input, calls the handler, ends with RecordHandler::finish,
  // flushes, reports; returns the exit status (CONTRACT 6). On an error the
  // handler's abort() runs, what is held is flushed, and the error goes on.
  int run();

  // One line or one block by hand (tests; a line read before the loop ran).
  void line(const Line& l);
  void block(const Block& b);

 private:
  bool pump();                                       // true when the input was read to its end
  void control_line(const Line& l, bool validated);  // validated: as a whole line already
  void reject(const Line& l, std::string_view reason);

  InputReader& in_;
  Output& out_;
  Diagnostics& diag_;
  RecordHandler& h_;
  LoopOptions o_;
  template <class Reader>
  void read_block(Reader& r, const Block& b);
  JsonBlockReader blocks_;
  JsonDomBlockReader dom_blocks_;
  JsonBlockValidator validator_;
  JsonLineParser json_;
  simdjson::ondemand::document doc_;
  FieldReader members_{{}};
  control::Record control_;
};

}  // namespace su
