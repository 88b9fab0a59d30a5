// The NDJSON record loop (see record_loop.hpp).
#include "su/record_loop.hpp"

#include <algorithm>
#include <chrono>

#include "su/signals.hpp"

namespace su {

RecordLoop::RecordLoop(InputReader& in, Output& out, Diagnostics& diag, RecordHandler& h, LoopOptions o)
    : in_(in), out_(out), diag_(diag), h_(h), o_(o) {
  flush_before_block(in_, out_, diag_, [this] { h_.before_block(); });
  if (o_.read_ahead) in_.set_read_ahead(true);
  if (o_.watch_output) in_.watch_output(out_.fd());
}

void RecordLoop::reject(const Line& l, std::string_view reason) {
  if (!h_.reject(l, reason)) diag_.reject(l, reason);
}

void RecordLoop::line(const Line& l) {
  if (l.too_long) return reject(l, diag_.too_long_reason());
  if (is_blank(l.text)) return;
  // Only the fields a tool wants are read below, and the raw bytes may be
  // passed on: check the whole line first.
  std::string reason = json_.validate(l.text);
  if (!reason.empty()) return reject(l, reason);
  if (control::is_control_line(l.text)) return control_line(l, /*validated=*/true);
  reason = json_.parse(l, doc_);
  if (reason.empty()) reason = h_.read(l, doc_);
  if (reason.empty()) reason = h_.apply(l);
  if (!reason.empty()) reject(l, reason);
}

void RecordLoop::block(const Block& b) {
  if (o_.validate_blocks) {
    if (b.lines <= 1 || !json_block_enabled() || b.too_long || !validator_.all_data_objects(b) || !h_.take_block(b))
      for_each_line(b, [this](const Line& l) { line(l); });
  } else if (b.lines > 1 && !b.too_long && json_block_enabled() && h_.reads_elements()) {
    // One DOM pass: every byte of each line checked, and the record read
    // from what it built.
    read_block(dom_blocks_, b);
  } else if (b.lines > 1 && !b.too_long && json_block_enabled() && validator_.all_valid(b)) {
    // Every byte of the block is valid JSON (one DOM pass: On-Demand below
    // reads only the wanted fields and would let an invalid value elsewhere
    // on the line through).
    read_block(blocks_, b);
  } else {
    for_each_line(b, [this](const Line& l) { line(l); });
  }
  h_.after_block();
}

// A line's document is read first, and acted on only once the next document
// shows that the line held exactly one (BasicJsonBlockReader); what is left
// goes line by line.
template <class Reader>
void RecordLoop::read_block(Reader& r, const Block& b) {
  r.start(b);
  for (bool more = r.next(); more;) {
    const Line l = r.line();
    const bool is_control = control::is_control_line(l.text);
    if (!is_control && !h_.read(l, r.doc()).empty()) {
      r.stop_here();  // the per-line path rejects it, with its own message
      break;
    }
    more = r.next();
    if (!r.previous_ok()) break;
    if (is_control) {
      control_line(l, /*validated=*/false);
      continue;
    }
    std::string reason = h_.apply(l);
    if (!reason.empty()) reject(l, reason);
  }
  for_each_line(r.rest(), [this](const Line& l) { line(l); });
}

void RecordLoop::control_line(const Line& l, bool validated) {
  // Rare (one per window): validated in full, whatever path it came by.
  std::string reason = validated ? std::string() : json_.validate(l.text);
  if (reason.empty()) reason = control::read(l, members_, control_);
  if (!reason.empty()) return reject(l, reason);
  bool forward = true;
  if (control_.kind == control::Kind::Checkpoint) {
    forward = h_.checkpoint(l, control_);
  } else {
    h_.control(l, control_);
    forward = h_.forward(control_);
  }
  if (forward && o_.forward_control) {
    out_.write(l.text);
    out_.put('\n');
  }
  // Not flushed here: what a control record completes goes out before the
  // loop waits for input, with what follows it while input keeps coming.
}

bool RecordLoop::pump() {
  using clock = std::chrono::steady_clock;
  clock::time_point deadline{};
  bool stopping = false;
  Block b;
  for (;;) {
    int timeout = h_.timeout_ms();
    if (o_.drain_after_stop_ms > 0 && stop_requested()) {
      if (stop_count() >= 2) return false;
      auto now = clock::now();
      if (!stopping) {
        stopping = true;
        deadline = now + std::chrono::milliseconds(o_.drain_after_stop_ms);
      }
      if (now >= deadline) return false;
      int left = int(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count()) + 1;
      timeout = timeout < 0 ? left : std::min(timeout, left);
    }
    switch (in_.next_block(b, timeout)) {
      case ReadStatus::Line:
        block(b);
        break;
      case ReadStatus::Eof:
        return !stopping;
      case ReadStatus::Timeout:
        break;
      case ReadStatus::Interrupted:
        if (o_.drain_after_stop_ms <= 0) return false;
        break;
    }
  }
}

int RecordLoop::run() {
  try {
    const bool complete = pump();
    h_.finish(complete);
    out_.flush();
  } catch (...) {
    h_.abort();
    try {
      out_.flush();
    } catch (...) {
    }
    diag_.flush();
    throw;
  }
  diag_.finish();
  return diag_.exit_status();
}

}  // namespace su
