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
  k.too_long = l.too_long;
  return k;
}

bool Sample::read(su::InputReader& in) {
  su::Line l;
  bool any = false;
  for (;;) {
    // The first non-blank line is waited for; the others only taken when at hand.
    su::ReadStatus st = in.next(l, any ? 0 : -1);
    if (st != su::ReadStatus::Line) break;
    kept_.push_back(keep(l));
    if (any && kept_.back().source != kept_.front().source) break;  // another file: its own header
    if (l.too_long) break;
    if (su::is_blank(l.text)) continue;
    any = true;
    if (kept_.size() - 1 >= kMaxLines * 4) break;  // mostly blank lines: enough
    size_t n = 0;
    for (const Kept& k : kept_) n += su::is_blank(std::string_view(k.bytes.data(), k.size)) ? 0 : 1;
    if (n >= kMaxLines) break;
  }
  for (const Kept& k : kept_) {
    std::string_view t(k.bytes.data(), k.size);
    if (k.source != kept_.front().source || k.too_long) break;
    if (!su::is_blank(t)) texts_.push_back(t);
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
    l.capacity = k.bytes.size();
    l.too_long = k.too_long;
    out.push_back(l);
  }
  return out;
}

}  // namespace su::parse
