// NDJSON a block of lines at a time: one simdjson stage 1 over each 64 KiB of
// the block (On-Demand iterate_many, or DOM parse_many) instead of one setup
// per line, each document mapped back to its line. Where the block does not split into one
// document per line, the reader stops and hands back the lines left, for the
// tool's per-line path (which then gives exactly what it always gave).
#pragma once
#include <simdjson.h>

#include <optional>

#include "su/core/line.hpp"

namespace su {

// False when the environment variable STREAM_UTILS_JSON_BLOCK=0 turns block
// parsing off: every block then goes line by line (tests compare the paths).
bool json_block_enabled();

namespace detail {
// The two kinds of simdjson document streams JsonBlockReader runs on.
struct OnDemandDocs {
  using Doc = simdjson::ondemand::document;
  bool start(const char* p, size_t len, size_t batch) {
    if (parser.iterate_many(p, len, batch).get(stream)) return false;
    it = stream.begin();
    return true;
  }
  bool at_end() { return !(it != stream.end()); }
  void advance() { ++it; }
  size_t truncated_bytes() const { return stream.truncated_bytes(); }
  // The current document and where it starts; false on an error.
  bool current(size_t& at) {
    simdjson::ondemand::document_reference ref;
    if ((*it).get(ref)) return false;
    at = it.current_index();
    doc = &static_cast<Doc&>(ref);
    return true;
  }
  Doc& get() { return *doc; }

  simdjson::ondemand::parser parser;
  simdjson::ondemand::document_stream stream;
  simdjson::ondemand::document_stream::iterator it;
  Doc* doc = nullptr;
};
// DOM: every value of every document parsed (and so validated) while the
// documents are read.
struct DomDocs {
  using Doc = simdjson::dom::element;
  bool start(const char* p, size_t len, size_t batch) {
    it.reset();
    if (parser.parse_many(p, len, batch).get(stream)) return false;
    it.emplace(stream.begin());
    return true;
  }
  bool at_end() { return !(*it != stream.end()); }
  void advance() { ++*it; }
  size_t truncated_bytes() { return stream.truncated_bytes(); }
  bool current(size_t& at) {
    if ((**it).get(el)) return false;
    at = it->current_index();
    return true;
  }
  Doc& get() { return el; }

  simdjson::dom::parser parser;
  simdjson::dom::document_stream stream;
  std::optional<simdjson::dom::document_stream::iterator> it;
  Doc el;
};
}  // namespace detail

// Usage (see common/su/record_loop.cpp):
//
//   r.start(block);
//   for (bool more = r.next(); more;) {
//     Line l = r.line();            // read what you need from r.doc() now:
//     auto result = read(l, r.doc());  // the document ends at the next next()
//     more = r.next();
//     if (!r.previous_ok()) break;  // l was not a document of its own
//     apply(l, result);
//   }
//   for_each_line(r.rest(), per_line);  // lines left (none when all went well)
//
// A line counts as handled only once the next document (or the end of the
// block) is seen to start exactly where the next non-blank line starts: then
// the line's document had the same bytes, and so the same structure, as it
// would have parsed alone. Blank lines are skipped; lines with leading white
// space and CRLF endings are fine.
//
// JsonBlockReader runs On-Demand (doc() is a document: only what is read of
// it is parsed); JsonDomBlockReader runs the DOM parser (doc() is an element:
// each document was parsed whole, every value checked, as a line alone is).
template <class Docs>
class BasicJsonBlockReader {
 public:
  BasicJsonBlockReader() = default;
  BasicJsonBlockReader(const BasicJsonBlockReader&) = delete;
  BasicJsonBlockReader& operator=(const BasicJsonBlockReader&) = delete;

  // Starts on a block of whole lines (Block::too_long blocks are left alone).
  // The environment variable STREAM_UTILS_JSON_BLOCK=0 turns block parsing
  // off (every block is left to the per-line path), for tests.
  void start(const Block& b);

  // Moves to the next line's document: true with line() and doc() set; false
  // when there is none, or none that can be handled here (rest() says which
  // lines are left). Either way previous_ok() then tells whether the line of
  // the previous document is confirmed as handled.
  bool next();
  bool previous_ok() const { return previous_ok_; }

  const Line& line() const { return line_; }
  typename Docs::Doc& doc() { return docs_.get(); }

  // The caller gives up on the current line (e.g. it would reject it: the
  // per-line path does that with its own message): rest() starts there.
  void stop_here();

  // The lines not handled, from the first one not confirmed to the end of the
  // block; lines == 0 when every line was handled.
  const Block& rest() const { return rest_; }

 private:
  static constexpr size_t kChunk = size_t(64) << 10;
  bool start_chunk(const char* first);
  void stop_at(const char* line_start, uint64_t number);

  Docs docs_;
  size_t batch_ = size_t(1) << 20;
  Block block_;
  Block rest_;
  Line line_;
  const char* base_ = nullptr;       // where the stream's text starts
  const char* chunk_end_ = nullptr;  // where it ends (after a '\n', or end_)
  const char* end_ = nullptr;        // end of the block's text
  const char* next_ = nullptr;       // after the current line's '\n'
  uint64_t next_number_ = 0;         // number of the line at next_
  bool active_ = false;              // documents may follow
  bool pending_ = false;             // line_ is a document not yet confirmed
  bool previous_ok_ = false;
};

using JsonBlockReader = BasicJsonBlockReader<detail::OnDemandDocs>;
using JsonDomBlockReader = BasicJsonBlockReader<detail::DomDocs>;
extern template class BasicJsonBlockReader<detail::OnDemandDocs>;
extern template class BasicJsonBlockReader<detail::DomDocs>;

// The other block strategy, for a tool that passes whole records on and so
// needs every byte checked (stream-parse --format ndjson): one simdjson DOM
// parse_many over the block validates every value of every line.
class JsonBlockValidator {
 public:
  // True when every line of b is exactly one valid JSON object that is not a
  // control record (no blank lines, no two objects on a line); false sends
  // the block to the per-line path.
  bool all_data_objects(const Block& b);
  // True when the whole text of b is a sequence of valid JSON values (every
  // byte checked, as the per-line path checks a line). It says nothing of
  // how values map to lines: JsonBlockReader checks that. false sends the
  // block to the per-line path, which finds the bad line and says why.
  bool all_valid(const Block& b);

 private:
  template <class F>
  int64_t each_document(const Block& b, F&& f);
  simdjson::dom::parser parser_;
};

}  // namespace su
