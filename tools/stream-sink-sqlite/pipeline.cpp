// The sink's reading thread and SQLite thread, and the bounded queue of
// batches between them. A batch holds copies of everything it needs, so the
// reader can go on with the next block while SQLite writes this one.
#include "pipeline.hpp"

#include "su/signals.hpp"

namespace sink {
namespace {

// Batches in all: one being filled, the others queued or being written.
// Bounds the memory (a few MB) and how far the reader runs ahead.
constexpr size_t kBatches = 3;
// A batch is handed over at the end of a block once it holds this much...
constexpr size_t kHandOverItems = 1024;
constexpr size_t kHandOverText = size_t(128) << 10;
// ... and in the middle of a block at this much.
constexpr size_t kMaxItems = 2048;
constexpr size_t kMaxText = size_t(512) << 10;
// Arena chunk size.
constexpr size_t kChunk = size_t(256) << 10;

constexpr char kEmpty[] = "";

}  // namespace

std::string_view Arena::copy(std::string_view s) {
  if (s.empty()) return {kEmpty, 0};  // not null: binds as '', not NULL
  for (; cur_ < chunks_.size(); ++cur_) {
    std::string& c = chunks_[cur_];
    if (c.capacity() - c.size() >= s.size()) {
      size_t at = c.size();
      c.append(s);
      bytes_ += s.size();
      return {c.data() + at, s.size()};
    }
  }
  std::string& c = chunks_.emplace_back();
  c.reserve(std::max(kChunk, s.size()));  // on the heap: moving it keeps the address
  cur_ = chunks_.size() - 1;
  c.append(s);
  bytes_ += s.size();
  return {c.data(), s.size()};
}

void Arena::clear() {
  for (std::string& c : chunks_) c.clear();
  cur_ = 0;
  bytes_ = 0;
}

void Batch::clear() {
  items.clear();
  fields.clear();
  reasons.clear();
  checkpoints.clear();
  text.clear();
  sync = false;
}

Pipeline::Pipeline(TableWriter& writer, su::Diagnostics& diag, bool lockstep)
    : writer_(writer), diag_(diag), lockstep_(lockstep) {
  writer_.on_reject([this](const su::Line& l, std::string_view reason) { diag_.reject(l, reason); });
  for (size_t i = 0; i < kBatches; ++i) {
    batches_.push_back(std::make_unique<Batch>());
    free_.push_back(batches_.back().get());
  }
  // Stop signals go to the reader, whose poll() they must interrupt.
  thread_ = su::thread_without_stop_signals([this] { work(); });
}

Pipeline::~Pipeline() {
  stop();
}

su::Line Pipeline::copy_line(Batch& b, const su::Line& l) {
  su::Line c = l;
  c.text = b.text.copy(l.text);
  c.capacity = c.text.size();
  return c;
}

void Pipeline::add(std::span<const Field> fields, const su::Line& line) {
  Batch& b = current();
  b.items.push_back({Batch::Op::Row, uint32_t(b.fields.size()), uint32_t(fields.size()), copy_line(b, line)});
  for (const Field& f : fields) {
    Field& c = b.fields.emplace_back(f);
    c.name = b.text.copy(f.name);
    if (!c.value.s.empty()) c.value.s = b.text.copy(c.value.s);
  }
  item_added();
}

void Pipeline::item_added() {
  dirty_ = true;
  if (lockstep_) return drain(false);
  if (cur_->items.size() >= kMaxItems || cur_->text.size() >= kMaxText) hand_over(false);
}

void Pipeline::reject(const su::Line& line, std::string_view reason) {
  Batch& b = current();
  b.items.push_back({Batch::Op::Reject, uint32_t(b.reasons.size()), 0, copy_line(b, line)});
  b.reasons.emplace_back(reason);
  item_added();
}

void Pipeline::commit() {
  Batch& b = current();
  b.items.push_back({Batch::Op::Commit, 0, 0, {}});
  item_added();
}

void Pipeline::checkpoint(const su::control::Checkpoint& c, std::string_view record) {
  Batch& b = current();
  b.items.push_back({Batch::Op::Checkpoint, uint32_t(b.checkpoints.size()), 0, {}});
  b.checkpoints.emplace_back(c, std::string(record));
  item_added();
}

void Pipeline::end_block() {
  if (cur_ && (cur_->items.size() >= kHandOverItems || cur_->text.size() >= kHandOverText)) hand_over(false);
}

void Pipeline::sync() {
  if (!dirty_) return;
  drain(true);
  dirty_ = false;
}

void Pipeline::drain(bool sync) {
  hand_over(sync);
  std::unique_lock lock(mu_);
  free_cv_.wait(lock, [&] { return (full_.empty() && !busy_) || error_; });
  if (error_) std::rethrow_exception(error_);
}

void Pipeline::finish() {
  stop();
  if (error_) std::rethrow_exception(error_);  // the thread has ended
}

void Pipeline::stop() noexcept {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    if (cur_ && !cur_->items.empty() && !error_) full_.push_back(cur_);
    cur_ = nullptr;
    closed_ = true;
  }
  work_cv_.notify_one();
  thread_.join();
}

Batch& Pipeline::current() {
  if (cur_) return *cur_;
  std::unique_lock lock(mu_);
  free_cv_.wait(lock, [&] { return !free_.empty() || error_; });
  if (error_) std::rethrow_exception(error_);
  cur_ = free_.back();
  free_.pop_back();
  return *cur_;
}

void Pipeline::hand_over(bool sync) {
  Batch& b = current();
  b.sync = sync;
  {
    std::lock_guard lock(mu_);
    full_.push_back(&b);
  }
  cur_ = nullptr;
  work_cv_.notify_one();
}

// The SQLite thread: runs batches until the queue is closed and empty, or
// until an error, which goes to the reader.
void Pipeline::work() {
  try {
    for (;;) {
      Batch* b = nullptr;
      {
        std::unique_lock lock(mu_);
        work_cv_.wait(lock, [&] { return !full_.empty() || closed_; });
        if (full_.empty()) return;
        b = full_.front();
        full_.pop_front();
        busy_ = true;
      }
      run(*b);
      b->clear();
      {
        std::lock_guard lock(mu_);
        free_.push_back(b);
        busy_ = false;
      }
      free_cv_.notify_one();
    }
  } catch (...) {
    {
      std::lock_guard lock(mu_);
      error_ = std::current_exception();
      busy_ = false;
    }
    free_cv_.notify_one();
  }
}

void Pipeline::run(Batch& b) {
  for (const Batch::Item& it : b.items) {
    switch (it.op) {
      case Batch::Op::Row:
        writer_.add(std::span(b.fields.data() + it.first, it.count), it.line, /*stable_texts=*/true);
        break;
      case Batch::Op::Reject:
        writer_.flush_rows();  // rejects in line order
        diag_.reject(it.line, b.reasons[it.first]);
        break;
      case Batch::Op::Commit:
        writer_.commit();
        break;
      case Batch::Op::Checkpoint:
        writer_.checkpoint(b.checkpoints[it.first].first, b.checkpoints[it.first].second);
        break;
    }
  }
  writer_.flush_rows();  // the writer's queued rows point into this batch
  if (b.sync) {
    writer_.commit();
    diag_.flush();
  }
}

}  // namespace sink
