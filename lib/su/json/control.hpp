// The control-record protocol (CONTRACT 3, 9): the only place that spells
// "_control", the control kinds and the window tag names. Tools detect,
// read and write control records through these functions.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "su/core/line.hpp"

namespace su {
class FieldReader;
}

namespace su::control {

// The member that makes an object a control record when it comes first.
inline constexpr std::string_view kMember = "_control";
// What a source field named kMember is renamed to (a data record never
// begins with kMember).
inline constexpr std::string_view kRenamedMember = "_control_";

enum class Kind { Close, Checkpoint, Other };

// Window tags (CONTRACT 4): time windows carry start and end, count windows
// their number.
inline constexpr std::string_view kWindowStart = "window_start";
inline constexpr std::string_view kWindowEnd = "window_end";
inline constexpr std::string_view kWindow = "window";
// Aggregate states (CONTRACT 10): the member of a result that carries its
// group's saved states (stream-agg --emit-state, --merge; the sink's
// --merge), and the mark of a late record passed on as a correction.
inline constexpr std::string_view kStateField = "_state";
inline constexpr std::string_view kLateField = "_late";
// The three, in that order: the fields that join every group key.
const std::vector<std::string>& window_tags();

// True when the line is a control record: a JSON object whose first member
// is "_control". A byte check (the usual `{"name"` start answered at once);
// the line is validated elsewhere.
bool is_control_line_slow(std::string_view line);
inline bool is_control_line(std::string_view s) {
  if (s.size() > 2 && s[0] == '{' && s[1] == '"' && s[2] != '_') return false;  // the usual data record
  return is_control_line_slow(s);
}

// A control record read: its kind and its other members, each as a name and
// canonical JSON text (see FieldReader::members).
struct Record {
  Kind kind = Kind::Other;
  std::string name;  // the kind as written: "close", "checkpoint", ...
  std::vector<std::pair<std::string, std::string>> members;
};
// Reads a control line (already validated as JSON); returns a reject reason
// or empty.
std::string read(const Line& line, FieldReader& reader, Record& out);

// A checkpoint (CONTRACT 9): to have every line after it again, read the
// file of that identity from that offset. Members as JSON text where noted.
inline constexpr std::string_view kCheckpoint = "checkpoint";
struct Checkpoint {
  std::string source;   // the followed file's absolute name (the key the sink keeps the latest by)
  std::string file;     // its identity: device, inode, fingerprint of its first bytes
  uint64_t offset = 0;  // the byte after the last line before the checkpoint
  uint64_t line = 0;    // lines before offset
  uint64_t size = 0;    // bytes known in the file when it was written
  // Added by stream-window (JSON text of an RFC 3339 string, or empty): the
  // event time up to which its windows were final when it forwarded the
  // checkpoint, and the one at the checkpoint's place in the stream.
  std::string watermark, replay_watermark;
};
inline constexpr std::string_view kWatermark = "watermark";
inline constexpr std::string_view kReplayWatermark = "replay_watermark";
// The checkpoint's members from a read control record; a reason when one is
// missing or of the wrong type.
std::string read_checkpoint(const Record& r, Checkpoint& out);
// `{"_control":"checkpoint","source":...,"file":...,"offset":N,"line":N,"size":N[,"watermark":...,"replay_watermark":...]}\n`
void append_checkpoint(std::string& out, const Checkpoint& c);

// `{"_control":"close",TAGS[,KEY]}\n`: TAGS are the window tags as members,
// KEY the --by members (both `"name":value,...`, KEY may be empty).
void append_close(std::string& out, std::string_view tags, std::string_view key);
// `"window_start":START,"window_end":END` with START and END JSON values.
void append_time_tags(std::string& out, std::string_view start, std::string_view end);
// `"window":N`.
void append_count_tag(std::string& out, int64_t window);

}  // namespace su::control
