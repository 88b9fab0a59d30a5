// Line and block handling of stream-window (see handler.hpp).
#include "handler.hpp"

#include <time.h>

#include "su/json/json.hpp"

namespace window_tool {
namespace {
// su::is_control_line, answered at once for the usual `{"name"` start.
bool is_control(std::string_view t) {
  if (t.size() > 2 && t[0] == '{' && t[1] == '"' && t[2] != '_') return false;
  return su::is_control_line(t);
}
}  // namespace

int64_t Handler::record_time() const {
  if (!c_.processing_time) return 0;
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t(ts.tv_sec) * su::kNsPerSec + ts.tv_nsec;
}

void Handler::pass_through(std::string_view text) {
  if (!c_.control) return;
  c_.out.write(text);
  c_.out.put('\n');
  c_.out.end_record();
}

void Handler::line(const su::Line& line) {
  if (c_.diag.skip_blank_or_too_long(line)) return;
  // Lines reach this path one at a time (live input), or after the block path
  // found something odd: two objects on a line, an object cut short. Only
  // the time and --by fields are read below, so check the whole line here,
  // as its raw bytes are passed on.
  std::string reason = validator_.validate(line.text);
  if (!reason.empty()) return c_.diag.reject(line, reason);
  if (is_control(line.text)) return pass_through(line.text);  // not ours to act on
  int64_t t = record_time();
  reason = c_.reader.read(line, &t);
  if (reason.empty()) reason = c_.engine.add(line.text, t, c_.reader.key());
  if (!reason.empty()) c_.diag.reject(line, reason);
}

void Handler::block(const su::Block& b) {
  if (b.lines > 1 && !b.too_long) {
    // Each line's document is read first, and acted on only once the next
    // document shows that the line held exactly one (JsonBlockReader).
    blocks_.start(b);
    for (bool more = blocks_.next(); more;) {
      const su::Line l = blocks_.line();
      const bool control = is_control(l.text);
      int64_t t = record_time();
      if (!control && !c_.reader.read(l, blocks_.doc(), &t).empty()) {
        blocks_.stop_here();  // the per-line path rejects it, with its own message
        break;
      }
      more = blocks_.next();
      if (!blocks_.previous_ok()) break;
      if (control) {
        pass_through(l.text);
        continue;
      }
      std::string reason = c_.engine.add(l.text, t, c_.reader.key());
      if (!reason.empty()) c_.diag.reject(l, reason);
    }
    su::for_each_line(blocks_.rest(), [this](const su::Line& l) { line(l); });
    return;
  }
  su::for_each_line(b, [this](const su::Line& l) { line(l); });
}

}  // namespace window_tool
