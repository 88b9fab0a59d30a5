// Block-at-a-time NDJSON through simdjson iterate_many (see block.hpp).
#include "su/json/block.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "su/json/control.hpp"

namespace su {
bool json_block_enabled() {
  static const bool on = [] {
    const char* e = std::getenv("STREAM_UTILS_JSON_BLOCK");
    return !(e && std::string_view(e) == "0");
  }();
  return on;
}

namespace {
// Skips white space and blank lines from p: returns the first other byte (or
// end); line_start and number follow the line it is on.
const char* skip_blank(const char* p, const char* end, const char*& line_start, uint64_t& number) {
  for (; p < end; ++p) {
    char c = *p;
    if (c == '\n') {
      line_start = p + 1;
      ++number;
    } else if (c != ' ' && c != '\t' && c != '\r') {
      break;
    }
  }
  return p;
}
}  // namespace

template <class Docs>
void BasicJsonBlockReader<Docs>::start(const Block& b) {
  block_ = b;
  active_ = pending_ = previous_ok_ = false;
  end_ = b.text.data() + b.text.size();
  next_ = b.text.data();
  next_number_ = b.first_line;
  const char* line_start = next_;
  uint64_t number = next_number_;
  const char* first = skip_blank(next_, end_, line_start, number);
  if (!json_block_enabled() || b.too_long || b.lines == 0 || b.capacity < b.text.size() + simdjson::SIMDJSON_PADDING ||
      first == end_ || !start_chunk(first))
    return stop_at(next_, next_number_);
  active_ = true;
}

template <class Docs>
bool BasicJsonBlockReader<Docs>::start_chunk(const char* first) {
  // Whole lines up to about kChunk bytes: stage 1's index of them stays in
  // the cache until the documents are read. One batch per chunk (no stage 1
  // thread); the batch size only grows, so the parser allocates rarely.
  const char* chunk_end = end_;
  if (size_t(end_ - first) > kChunk) {
    const void* nl = std::memchr(first + kChunk, '\n', size_t(end_ - first) - kChunk);
    if (nl) chunk_end = static_cast<const char*>(nl) + 1;
  }
  size_t len = size_t(chunk_end - first);
  while (batch_ < len) batch_ *= 2;
  if (!docs_.start(first, len, batch_)) return false;
  base_ = first;
  chunk_end_ = chunk_end;
  return true;
}

template <class Docs>
bool BasicJsonBlockReader<Docs>::next() {
  previous_ok_ = false;
  if (!active_) return false;
  if (pending_) docs_.advance();
  // The next document must start at the first byte of the next non-blank line.
  const char* line_start = next_;
  uint64_t number = next_number_;
  const char* expect = skip_blank(next_, end_, line_start, number);
  auto fail = [&] {
    active_ = false;
    if (pending_)
      stop_at(line_.text.data(), line_.number);
    else
      stop_at(line_start, number);
    pending_ = false;
    return false;
  };
  if (docs_.at_end()) {
    // The chunk ended: its last line is its own only if nothing follows it
    // in the chunk; then the next chunk starts at the next non-blank line.
    if (expect < chunk_end_ || docs_.truncated_bytes() != 0) return fail();
    if (expect != end_) {
      if (!start_chunk(expect)) return fail();
      if (docs_.at_end()) return fail();
    } else {
      previous_ok_ = pending_;
      active_ = pending_ = false;
      stop_at(end_, block_.first_line + block_.lines);
      return false;
    }
  }
  size_t at = 0;
  if (!docs_.current(at) || base_ + at != expect) return fail();
  previous_ok_ = pending_;
  const void* nl = std::memchr(expect, '\n', size_t(end_ - expect));
  const char* line_end = nl ? static_cast<const char*>(nl) : end_;
  line_.text = std::string_view(line_start, size_t(line_end - line_start));
  if (line_.text.back() == '\r') line_.text.remove_suffix(1);
  line_.source = block_.source;
  line_.number = number;
  line_.capacity = block_.capacity - size_t(line_start - block_.text.data());
  line_.too_long = false;
  next_ = nl ? line_end + 1 : end_;
  next_number_ = number + 1;
  pending_ = true;
  return true;
}

template <class Docs>
void BasicJsonBlockReader<Docs>::stop_here() {
  if (pending_) stop_at(line_.text.data(), line_.number);
  active_ = pending_ = previous_ok_ = false;
}

template <class Docs>
void BasicJsonBlockReader<Docs>::stop_at(const char* line_start, uint64_t number) {
  rest_.text = std::string_view(line_start, size_t(end_ - line_start));
  rest_.source = block_.source;
  rest_.first_line = number;
  rest_.lines = block_.first_line + block_.lines - number;
  rest_.capacity = block_.capacity - size_t(line_start - block_.text.data());
  rest_.too_long = block_.too_long;
}

template class BasicJsonBlockReader<detail::OnDemandDocs>;
template class BasicJsonBlockReader<detail::DomDocs>;

// One DOM parse_many over the block: calls f on each document (stopping when
// it says false); the document count, or -1 when the block is not all valid
// documents, or f refused one.
template <class F>
int64_t JsonBlockValidator::each_document(const Block& b, F&& f) {
  std::string_view t = b.text;
  simdjson::dom::document_stream stream;
  size_t batch = std::max<size_t>(t.size(), size_t(1) << 20);
  if (parser_.parse_many(t.data(), t.size(), batch).get(stream)) return -1;
  int64_t docs = 0;
  for (auto it = stream.begin(); it != stream.end(); ++it, ++docs) {
    simdjson::dom::element el;
    if ((*it).get(el) || !f(el, it.current_index())) return -1;
  }
  return stream.truncated_bytes() == 0 ? docs : -1;
}

bool JsonBlockValidator::all_data_objects(const Block& b) {
  // One document a line: each starts on a line after the previous one's
  // start, and there are as many as lines (two objects on one line and a
  // blank line elsewhere would otherwise make the count right).
  const std::string_view t = b.text;
  size_t prev = 0;
  bool first = true;
  const int64_t docs = each_document(b, [&](simdjson::dom::element el, size_t at) {
    if (!first && (at <= prev || std::memchr(t.data() + prev, '\n', at - prev) == nullptr)) return false;
    first = false;
    prev = at;
    simdjson::dom::object obj;
    if (el.get_object().get(obj)) return false;
    return obj.begin() == obj.end() || obj.begin().key() != control::kMember;  // control: per line
  });
  return docs >= 0 && uint64_t(docs) == b.lines;  // else blank lines
}

bool JsonBlockValidator::all_valid(const Block& b) {
  return each_document(b, [](simdjson::dom::element, size_t) { return true; }) >= 0;
}

}  // namespace su
