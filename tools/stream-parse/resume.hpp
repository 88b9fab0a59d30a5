// stream-parse --follow --resume DB: where each followed file starts again,
// from the checkpoint stream-sink-sqlite stored (CONTRACT 9), found by its
// identity among the file and its rotated siblings.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "su/follow.hpp"
#include "su/tool.hpp"

namespace su::parse {

// A followed name's row of `_stream_checkpoints`.
struct StoredCheckpoint {
  std::string file;  // identity
  uint64_t offset = 0, line = 0, size = 0;
  int64_t time = 0;    // Unix seconds when it was stored
  std::string record;  // the checkpoint record as it reached the sink
};

// The stored checkpoint of `source` (an absolute name) in db, read-only;
// none when the file, the table or the row is not there. Throws su::Fatal on
// a database error.
std::optional<StoredCheckpoint> load_checkpoint(const std::string& db, const std::string& source);

// The files to read before `name` and where `name` starts, for a checkpoint:
// the file that holds the checkpointed bytes (by fingerprint; the same inode
// first), then the rotated siblings newer than it, then the name from 0 (or
// from the offset when the name itself holds them). Siblings are NAME.*,
// NAME-* and the --rotated patterns. A checkpointed file that is gone is
// reported with the bytes known lost (exit status 1), and reading goes on
// from the oldest sibling written after the checkpoint.
struct ResumePlan {
  std::vector<su::ResumeFile> before;
  std::optional<su::ResumeFile> start_of_name;
};
ResumePlan plan_resume(const std::string& name, const StoredCheckpoint& c, const std::vector<std::string>& rotated,
                       su::Diagnostics& diag);

}  // namespace su::parse
