// Reads the fields a tool needs from one NDJSON line (stream-window: time and
// key; stream-agg: key and aggregated fields): iterates the object
// once with simdjson On-Demand, matching each key against a small table of
// wanted names, and keeps each wanted field's value and its canonical JSON
// text (the text group keys are made of). Names are top-level member names,
// taken literally (`a.b` is the member so named); of a name given twice in one
// object the last member counts.
#pragma once
#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "su/core/line.hpp"
#include "su/core/value.hpp"
#include "su/json/json.hpp"

namespace su {

class FieldReader {
 public:
  explicit FieldReader(std::vector<std::string> names);
  // Field i is only a key part, read by no aggregate: a string without escapes
  // is then taken as it is written, not unescaped.
  void set_key_only(size_t i) { slots_[i].need_value = false; }
  // Field i is only a value (e.g. a time), never a key part: its canonical
  // text is not computed (text(i) stays empty).
  void set_value_only(size_t i) { slots_[i].need_text = false; }

  // Parses line; on success every wanted field is present or not. Returns a
  // reject reason, or empty. Values are valid until the next read.
  std::string read(const Line& line);
  // The same for a document already parsed (a line of a block, see
  // su::JsonBlockReader); its string buffer may be reused by the next document:
  // call own() before moving on.
  std::string read(simdjson::ondemand::document& doc);
  // The same for a document the DOM parser read whole (su::JsonDomBlockReader):
  // the fields' texts and values are those read() gives, without a second
  // pass over the record. Its strings are copied out of the parser's string
  // buffer (which the next document reuses) as they are read, so own() has
  // nothing left to do; call it all the same. A wanted field holding an object or
  // an array (whose text is its raw bytes, which the DOM does not keep)
  // returns kNeedsText, and from then on dom_ok() is false.
  std::string read(simdjson::dom::element el);
  static constexpr std::string_view kNeedsText = "wanted field is an object or array";
  bool dom_ok() const { return dom_ok_; }
  // Copies every text and value that does not point into `line` (strings
  // unescaped into the parser's buffer) into the reader's own storage.
  void own(std::string_view line);
  // Field i's value is not wanted again until the next read (a time once
  // parsed): own() has nothing to copy for it, and value(i) is missing.
  void drop_value(size_t i) {
    Slot& s = slots_[i];
    if (s.borrowed) {
      s.borrowed = false;
      --borrowed_;
    }
    s.value = Value::missing();
  }
  bool present(size_t i) const { return slots_[i].present; }
  // Canonical JSON text of field i: the token as written, except that strings
  // with escapes are re-escaped minimally, numbers are written so that equal
  // values have equal text (su::append_canonical: 1.0 and 1e0 are `1`, -0 is
  // `0`), and objects and arrays are their raw text. Empty when absent.
  std::string_view text(size_t i) const { return slots_[i].present ? slots_[i].text : std::string_view(); }
  // Missing when absent.
  const Value& value(size_t i) const { return slots_[i].present ? slots_[i].value : missing_; }
  size_t size() const { return slots_.size(); }

  // Names that match nothing: empty when some record read so far had field i
  // (or none was read), else the warning `no record had field 'NAME'`, with
  // the closest member name seen in the first records ("did you mean").
  std::string never_found_warning(size_t i, std::string_view name) const;

  // Every member of the object on the line (for control records): names and
  // canonical JSON texts. Returns a reject reason, or empty.
  std::string members(const Line& line, std::vector<std::pair<std::string, std::string>>& out);

 private:
  struct Slot {
    bool need_value = true;
    bool need_text = true;
    bool present = false;
    bool ever = false;  // present in some record read so far
    std::string_view text;
    Value value;
    std::string scratch;
    std::string owned_text, owned_value;
    // DOM reads: the field's string copied out of the parser's buffer in
    // whole words (a plain string's text is it in quotes, its value inside
    // them), 16 bytes longer than the longest copy so far. A value wanted
    // without its text is borrowed from the parser's buffer until own().
    std::string buf;
    bool borrowed = false;
    char* space(size_t n) {
      if (n + 16 > buf.size()) grow(n);
      return buf.data();
    }
    void grow(size_t n);
  };
  std::string take(simdjson::ondemand::value v, Slot& s);
  bool take(simdjson::dom::element v, Slot& s);
  bool dom_ok_ = true;
  bool dom_read_ = false;  // the last read was a DOM read: own() copies the borrowed values
  size_t borrowed_ = 0;    // how many (none: own() has nothing to do)

  JsonLineParser parser_;
  simdjson::ondemand::document doc_;
  // Each name as written between quotes, with its first 8 bytes (closing
  // quote included when it fits) for a one-load first check.
  struct Name {
    std::string escaped;
    uint64_t prefix = 0, mask = 0;
    bool short_name = false;  // the prefix decides alone
  };
  bool matches(const Name& n, const char* raw) const;
  void sample_key(simdjson::ondemand::field& f);
  void sample_key(std::string_view key);
  void note_found(bool sampled);
  std::vector<Name> names_;
  // The names as given (DOM keys are unescaped), with their first 8 bytes
  // for a one-load first check (the DOM's string buffer is padded).
  struct Plain {
    std::string name;
    uint64_t prefix = 0, mask = 0;
  };
  bool matches(const Plain& n, std::string_view key) const;
  std::vector<Plain> plain_;
  // Bit n % 64 is set when some name is n bytes long: a key of another
  // length is no wanted name.
  uint64_t name_lengths_ = 0;
  // The shape cache of DOM reads: for each member of a wanted name's length,
  // by its rank among them, the last key seen there and the slot it matched
  // (kNoSlot: none), so that a record of the same shape as the one before
  // costs one compare per such key instead of one per wanted name. A key's slot depends on its bytes alone, so an entry
  // is never stale: a position whose key differs is matched afresh and remembered.
  static constexpr uint32_t kNoSlot = ~uint32_t(0);
  struct Seen {
    uint64_t head = 0, mask = 0;  // the key's first 8 bytes, as in Plain
    uint32_t len = ~uint32_t(0);  // no key is this long: matches nothing
    uint32_t slot = kNoSlot;
    uint32_t tail = 0, tail_room = 0;  // its bytes past the 8th, in seen_tails_
  };
  static constexpr size_t kShapeMembers = 1024, kShapeTailBytes = 16384;
  std::vector<Seen> shape_;
  std::string seen_tails_;  // zero-padded to whole words
  bool same_key(const Seen& m, std::string_view key) const;
  uint32_t learn_key(size_t pos, std::string_view key);
  std::vector<Slot> slots_;
  Value missing_;
  // For never_found_warning: while some name was never found, the member
  // names of the first kSampleRecords records (at most kSeenNames of them).
  static constexpr size_t kSampleRecords = 1024, kSeenNames = 512;
  size_t unfound_ = 0;
  uint64_t records_ = 0, sampled_records_ = 0;
  std::vector<std::string> seen_;
};

}  // namespace su
