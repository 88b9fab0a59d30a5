// The sink's two threads: the reading thread parses lines into batches of
// rows, rejects and commits (values copied, in line order) and hands them to
// a SQLite thread that writes them, through a small bounded queue. All
// table writes and all rejects (su::Diagnostics) happen on the SQLite thread,
// in line order; the reading thread keeps su::Output (--tee) to itself.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "su/input.hpp"
#include "su/json/control.hpp"
#include "su/tool.hpp"
#include "table_writer.hpp"

namespace sink {

// Copies of texts whose addresses stay put until clear().
class Arena {
 public:
  std::string_view copy(std::string_view s);
  void clear();
  size_t size() const { return bytes_; }

 private:
  std::vector<std::string> chunks_;  // each keeps the capacity it was given
  size_t cur_ = 0;
  size_t bytes_ = 0;
};

// What the SQLite thread does, in order.
struct Batch {
  enum class Op : uint8_t { Row, Reject, Commit, Checkpoint };
  struct Item {
    Op op;
    uint32_t first = 0;  // Row: first of `fields`; Reject: index in `reasons`; Checkpoint: in `checkpoints`
    uint32_t count = 0;  // Row: how many fields
    su::Line line;       // its text is in `text`
  };
  std::vector<Item> items;
  std::vector<Field> fields;
  std::vector<std::string> reasons;
  std::vector<std::pair<su::control::Checkpoint, std::string>> checkpoints;  // and the record's text
  Arena text;
  bool sync = false;  // commit and flush the diagnostics after the items
  void clear();
};

class Pipeline {
 public:
  // Starts the SQLite thread (SIGINT/SIGTERM stay with the calling thread).
  // lockstep: each item is written before the reader goes on (--strict
  // --tee: no line after a fatal reject reaches stdout).
  Pipeline(TableWriter& writer, su::Diagnostics& diag, bool lockstep = false);
  ~Pipeline();  // stop()
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // The reading thread's side. Each may rethrow the SQLite thread's error.
  void add(std::span<const Field> fields, const su::Line& line);
  void reject(const su::Line& line, std::string_view reason);
  void commit();
  // A checkpoint: stored in the transaction of the rows before it.
  void checkpoint(const su::control::Checkpoint& c, std::string_view record);
  // After a block of lines: hands the batch over when it is big enough.
  void end_block();
  // Waits until everything handed over is written and committed and the
  // rejects are flushed (before the reader blocks, CONTRACT 6).
  void sync();
  // Hands over the rest and ends the thread; rethrows its error, if any.
  void finish();
  // After an error: the thread writes what it was given and ends. Never throws.
  void stop() noexcept;

 private:
  Batch& current();
  void hand_over(bool sync);
  // Hands the batch over and waits until the thread has run it.
  void drain(bool sync);
  void item_added();
  void work();
  void run(Batch& b);
  su::Line copy_line(Batch& b, const su::Line& l);

  TableWriter& writer_;
  su::Diagnostics& diag_;

  std::mutex mu_;
  std::condition_variable work_cv_;  // the SQLite thread waits for batches
  std::condition_variable free_cv_;  // the reader waits for a free batch or idle
  std::deque<Batch*> full_;
  std::vector<Batch*> free_;
  bool busy_ = false;    // the SQLite thread is running a batch
  bool closed_ = false;  // no more batches
  std::exception_ptr error_;

  std::vector<std::unique_ptr<Batch>> batches_;
  Batch* cur_ = nullptr;  // being filled by the reader
  bool dirty_ = false;    // something handed over (or held) since the last sync
  bool lockstep_;
  std::thread thread_;
};

}  // namespace sink
