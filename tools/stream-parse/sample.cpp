// The first lines of the input for --format auto (see sample.hpp).
#include "sample.hpp"

namespace su::parse {

Sample::Kept Sample::keep(const su::Line& l) {
  Kept k;
  k.bytes.assign(l.text);
  k.size = l.text.size();
  k.bytes.resize(k.size + su::kInputPadding, ' ');
  k.source.assign(l.source);
  k.number = l.number;
  k.serial = l.serial;
  k.too_long = l.too_long;
  return k;
}

bool Sample::read(su::InputReader& in) {
  // The first usable line (non-blank, within --max-line) is waited for; the
  // others are only taken when at hand, from the same source. An over-long
  // line is no evidence: its text is a prefix (it is rejected in any format).
  su::Line l;
  size_t usable = 0;
  std::string source;  // of the first usable line
  bool any = false;
  while (in.next(l, usable ? 0 : -1) == su::ReadStatus::Line) {
    kept_.push_back(keep(l));
    if (usable && l.source != source) break;  // another file: its own header
    if (!su::is_blank(l.text)) {
      any = true;
      if (!l.too_long && !usable++) source.assign(l.source);
    }
    if (usable >= kMaxLines || kept_.size() >= kMaxLines * 4) break;  // enough, or mostly blank or over-long
  }
  for (const Kept& k : kept_) {
    std::string_view t(k.bytes.data(), k.size);
    if (k.source == source && !k.too_long && !su::is_blank(t)) texts_.push_back(t);
  }
  return any;
}

void Sample::join_quoted(su::InputReader& in, char quote) {
  std::vector<Kept> joined;
  bool open = false;
  auto add = [&](Kept k) {
    std::string_view t(k.bytes.data(), k.size);
    if (open && joined.back().source == k.source) {
      Kept& j = joined.back();
      j.bytes.resize(j.size);
      j.bytes.push_back('\n');
      j.bytes.append(t);
      j.size = j.bytes.size();
      j.bytes.resize(j.size + su::kInputPadding, ' ');
      j.too_long = j.too_long || k.too_long;
    } else {
      open = false;
      joined.push_back(std::move(k));
    }
    for (char c : t)
      if (c == quote) open = !open;
  };
  for (Kept& k : kept_) add(std::move(k));
  su::Line l;
  while (open && in.next(l) == su::ReadStatus::Line) add(keep(l));
  kept_ = std::move(joined);
  texts_.clear();  // views into the old lines
}

std::vector<su::Line> Sample::lines() const {
  std::vector<su::Line> out;
  for (const Kept& k : kept_) {
    su::Line l;
    l.text = std::string_view(k.bytes.data(), k.size);
    l.source = k.source;
    l.number = k.number;
    l.serial = k.serial;
    l.capacity = k.bytes.size();
    l.too_long = k.too_long;
    out.push_back(l);
  }
  return out;
}

}  // namespace su::parse
