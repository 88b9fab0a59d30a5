// --format auto: the first lines of the input that are already at hand, kept
// (copied, with the reader's padding) until the format is known, then parsed.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "su/core/line.hpp"
#include "su/input.hpp"

namespace su::parse {

class Sample {
 public:
  // Waits for the first non-blank line that fits --max-line, then takes the
  // lines the input holds without waiting, up to kMaxLines non-blank ones of
  // the same source. False when the input ended (or a signal came) before a
  // non-blank line.
  bool read(su::InputReader& in);
  // The non-blank lines within --max-line of the first source that has one,
  // for su::detect_format; empty when every line was over-long.
  const std::vector<std::string_view>& texts() const { return texts_; }
  // CSV with quotes: lines whose quotes are open are joined with the next
  // ones (read on, waiting, while the last is open), as the reader gives a
  // record once it is quote-aware.
  void join_quoted(su::InputReader& in, char quote);
  // Every line read, in order, to be parsed.
  std::vector<su::Line> lines() const;

  static constexpr size_t kMaxLines = 20;

 private:
  struct Kept {
    std::string bytes;  // the text, then kInputPadding bytes
    size_t size = 0;
    std::string source;
    uint64_t number = 0;
    uint32_t serial = 0;
    bool too_long = false;
  };
  static Kept keep(const su::Line& l);

  std::vector<Kept> kept_;
  std::vector<std::string_view> texts_;
};

}  // namespace su::parse
