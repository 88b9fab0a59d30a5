// What stream-window does with a record: reads its time (or takes the wall
// clock) and its --by key, and gives it to the window engine; the shared
// record loop (su::RecordLoop) does the rest. While input is idle, the
// stream's time moves on (su::Progress).
#pragma once
#include <deque>
#include <string>
#include <vector>

#include "su/record_loop.hpp"
#include "su/time/timeparse.hpp"
#include "su/window/engine.hpp"
#include "su/window/progress.hpp"

namespace window_tool {

class Handler : public su::RecordHandler {
 public:
  // time_field empty: processing time (the wall clock when a record is read).
  Handler(std::string time_field, const std::vector<std::string>& by, su::TimeParser parser, su::WindowEngine& engine,
          int64_t idle_ns);

  std::string read(const su::Line& line, simdjson::ondemand::document& doc) override;
  bool reads_elements() const override { return fields_.dom_ok(); }
  std::string read(const su::Line& line, simdjson::dom::element el) override;
  std::string apply(const su::Line& line) override;
  int timeout_ms() override;
  void after_block() override { progress_.on_input(); }
  void finish(bool) override;
  // Held until every window with a record from before it has closed for
  // good, then written with the watermark (CONTRACT 9); the first one, ahead
  // of any record, resumes the engine from its watermark.
  bool checkpoint(const su::Line& line, const su::control::Record& r) override;
  // Where checkpoints go (null: control records off, they are dropped).
  void checkpoints_to(su::RecordBuffer* out) { out_ = out; }
  // Where finish() warns about a --time or --by field that no record had.
  void warn_to(su::Diagnostics* diag) { diag_ = diag; }

 private:
  std::string time_error(const su::Value& v) const;  // why v is no time

  std::string time_field_;
  su::TimeParser parser_;
  su::WindowEngine& engine_;
  su::Progress progress_;
  su::FieldReader fields_;
  size_t time_slot_ = 0;
  std::vector<size_t> key_slots_;
  std::vector<std::string> key_prefix_;  // `"name":` for each --by field
  int64_t time_ = 0;
  std::string key_;
  std::vector<std::string> names_;  // of the reader's fields, by slot
  // After the fields were read (err: the reader's reason, or empty): the
  // time and the key, or why not.
  std::string take_fields(std::string err);
  su::Diagnostics* diag_ = nullptr;

  struct Pending {
    su::control::Checkpoint cp;
    uint64_t after = 0;  // records before it
    std::string replay;  // the watermark when it came (JSON), or empty
  };
  void release();  // writes the pending checkpoints no open window depends on
  static std::string time_json(std::optional<int64_t> t);
  su::RecordBuffer* out_ = nullptr;
  std::deque<Pending> pending_;
  uint64_t checked_closes_ = 0;
};

}  // namespace window_tool
