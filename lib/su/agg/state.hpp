// Mergeable aggregate states (CONTRACT 10): the byte codec each function saves
// its state with, an exact sum of doubles whose rounding depends on no order,
// and the versioned envelope of one group's states (the bytes of `_state`).
//
// Envelope, version 1: a version byte (1), a flags byte (1: --approx), the
// number of columns (varint), then per column its SPEC as FUNC[:FIELD]=NAME
// and its state's bytes, each as a length (varint) and the bytes. Varints are
// LEB128; signed ones zigzag first. The SPECs make a state self-describing:
// the sink merges and rewrites values knowing nothing else.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace su::agg {

inline constexpr uint8_t kStateVersion = 1;

// A saved state that cannot be read: truncated, of another version, made by
// other SPECs. The message is a reject reason.
struct StateError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class StateWriter;
class StateReader;

// One group's saved states, read: views into the bytes read.
struct Envelope {
  bool approx = false;
  struct Column {
    std::string_view spec;   // FUNC[:FIELD]=NAME
    std::string_view state;  // the function's bytes
  };
  std::vector<Column> columns;
};
void append_envelope_header(std::string& out, bool approx, size_t columns);
void append_envelope_column(std::string& out, std::string_view spec, std::string_view state);
// Throws StateError: another version, truncated, bytes left over.
Envelope read_envelope(std::string_view bytes);
// The part of a saved SPEC that must match for a merge: FUNC[:FIELD], without
// the output name.
inline std::string_view spec_identity(std::string_view saved_spec) {
  return saved_spec.substr(0, saved_spec.find('='));
}

class StateWriter {
 public:
  explicit StateWriter(std::string& out) : out_(out) {}
  void u8(uint8_t v) { out_.push_back(char(v)); }
  void varint(uint64_t v);
  void svarint(int64_t v) { varint((uint64_t(v) << 1) ^ uint64_t(v >> 63)); }
  void fixed32(uint32_t v);
  void fixed64(uint64_t v);
  void f64(double v);
  void i128(__int128 v);
  void bytes(std::string_view b);  // length, then the bytes

 private:
  std::string& out_;
};

class StateReader {
 public:
  explicit StateReader(std::string_view in) : in_(in) {}
  uint8_t u8();
  uint64_t varint();
  int64_t svarint() {
    uint64_t u = varint();
    return int64_t(u >> 1) ^ -int64_t(u & 1);
  }
  uint32_t fixed32();
  uint64_t fixed64();
  double f64();
  __int128 i128();
  std::string_view bytes();
  bool done() const { return pos_ == in_.size(); }
  // Throws unless every byte was read.
  void expect_end() const;

 private:
  std::string_view take(size_t n);
  std::string_view in_;
  size_t pos_ = 0;
};

// The exact sum of any doubles (Shewchuk's non-overlapping partials, as in
// Python's math.fsum). The result, correctly rounded, is a function of the
// exact sum alone: the same whatever the order of the additions and merges.
// Infinities and NaN are summed apart; a finite sum beyond the double range
// becomes an infinity.
class ExactSum {
 public:
  void add(double x);
  void add(const ExactSum& o);
  // An int64 or a 128-bit integer, exactly.
  void add_integer(__int128 v);
  // The sum correctly rounded to a double.
  double round() const;
  // The sum to long double precision: the rounded sum plus the rounded rest.
  long double round_long() const;
  bool empty() const { return partials_.empty() && special_ == 0; }
  void save(StateWriter& w) const;
  void load(StateReader& r);
  // For the variance: adds a*b exactly (two-product with fma).
  void add_product(double a, double b);
  const std::vector<double>& partials() const { return partials_; }
  // The sum as the unique list of doubles, largest first, each the rounded
  // rest of the ones before: a function of the exact sum alone (the partials
  // depend on the order of the additions).
  std::vector<double> canonical() const;

 private:
  std::vector<double> partials_;  // increasing magnitude, non-overlapping
  double special_ = 0;            // the sum of the infinities and NaN
};

}  // namespace su::agg
