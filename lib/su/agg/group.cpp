// Group table: hash map from key text to a state block taken from a pool of
// fixed-size slots, first-seen order, result records, closing by key match.
#include "su/agg/group.hpp"

#include <algorithm>

#include "su/core/error.hpp"
#include "su/core/hash.hpp"
#include "su/json/control.hpp"

namespace su::agg {
namespace {
constexpr size_t kAlign = alignof(std::max_align_t);

std::string quoted_name(std::string_view name) {
  std::string s;
  append_json_string(s, name);
  s.push_back(':');
  return s;
}
}  // namespace

GroupTable::GroupTable(std::vector<std::string> key_fields, const std::vector<Spec>& specs, bool approx)
    : key_fields_(std::move(key_fields)) {
  for (const auto& k : key_fields_) key_names_.push_back(quoted_name(k));
  for (const auto& s : specs) {
    Column c;
    c.spec = s;
    c.fn = make_function(s, approx);
    if (c.fn->state_align() > kAlign) throw Fatal("aggregate state alignment not supported");
    stride_ = (stride_ + c.fn->state_align() - 1) / c.fn->state_align() * c.fn->state_align();
    c.offset = stride_;
    stride_ += c.fn->state_size();
    column_names_.push_back(quoted_name(s.name));
    columns_.push_back(std::move(c));
  }
  stride_ = std::max<size_t>((stride_ + kAlign - 1) / kAlign * kAlign, kAlign);
  approx_ = approx;
  for (const auto& c : columns_) saved_specs_.push_back(saved_spec_text(c.spec));
  for (size_t c = 0; c < columns_.size(); ++c)
    if (columns_[c].fn->uses_time()) timed_.push_back(c);
  slots_.assign(64, Slot{});
  mask_ = slots_.size() - 1;
}

GroupTable::~GroupTable() {
  for (uint32_t e : order_) release(e);
}

uint32_t GroupTable::allocate() {
  if (!free_entries_.empty()) {
    uint32_t e = free_entries_.back();
    free_entries_.pop_back();
    return e;
  }
  const uint32_t e = uint32_t(entries_.size());
  entries_.emplace_back();
  if (e / kChunk >= chunks_.size()) {
    auto* p = static_cast<std::byte*>(::operator new(stride_* kChunk, std::align_val_t(kAlign)));
    chunks_.emplace_back(p, [](std::byte* q) { ::operator delete(q, std::align_val_t(kAlign)); });
  }
  return e;
}

size_t GroupTable::find_slot(std::string_view key, uint64_t h) const {
  const uint32_t tag = uint32_t(h >> 32);
  for (size_t i = h & mask_;; i = (i + 1) & mask_) {
    const Slot& s = slots_[i];
    if (s.entry == 0) return i;
    if (s.tag == tag && entries_[s.entry - 1].key == key) return i;
  }
}

void GroupTable::grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  mask_ = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.entry == 0) continue;
    size_t i = entries_[s.entry - 1].hash & mask_;
    while (slots_[i].entry) i = (i + 1) & mask_;
    slots_[i] = s;
  }
}

std::byte* GroupTable::group(std::string_view key) {
  const uint64_t h = hash_bytes(key);
  size_t i = find_slot(key, h);
  if (slots_[i].entry) return block(slots_[i].entry - 1);
  if ((live_ + 1) * 4 > slots_.size() * 3) {
    grow();
    i = find_slot(key, h);
  }
  const uint32_t e = allocate();
  Entry& en = entries_[e];
  en.key.assign(key);
  en.hash = h;
  en.first = newest_ = record_number_;
  std::byte* b = block(e);
  for (auto& c : columns_) c.fn->init(b + c.offset);
  slots_[i] = Slot{uint32_t(h >> 32), e + 1};
  ++live_;
  order_.push_back(e);
  return b;
}

// Backward-shift deletion keeps every probe chain unbroken.
void GroupTable::erase(uint32_t e) {
  const Entry& en = entries_[e];
  size_t i = find_slot(en.key, en.hash);
  for (size_t j = (i + 1) & mask_; slots_[j].entry; j = (j + 1) & mask_) {
    size_t ideal = entries_[slots_[j].entry - 1].hash & mask_;
    if (((j - ideal) & mask_) >= ((j - i) & mask_)) {
      slots_[i] = slots_[j];
      i = j;
    }
  }
  slots_[i] = Slot{};
  --live_;
}

void GroupTable::write(uint32_t entry, RecordBuffer& out, bool snapshot) {
  std::string& b = out.buf();
  b.push_back('{');
  bool first = true;
  std::string_view key = entries_[entry].key;
  std::byte* state = block(entry);
  for (size_t i = 0; i < key_fields_.size(); ++i) {
    size_t nl = key.find('\n');
    std::string_view part = key.substr(0, nl);
    key = nl == std::string_view::npos ? std::string_view() : key.substr(nl + 1);
    if (part.empty()) continue;
    if (!first) b.push_back(',');
    first = false;
    b.append(key_names_[i]);
    b.append(part);
  }
  for (size_t c = 0; c < columns_.size(); ++c) {
    if (!first) b.push_back(',');
    first = false;
    b.append(column_names_[c]);
    columns_[c].fn->write(state + columns_[c].offset, b);
  }
  if (emit_state_) {
    if (!first) b.push_back(',');
    first = false;
    append_json_string(b, control::kStateField);
    b.push_back(':');
    append_state(state, b);
  }
  if (mark_snapshots_) {
    if (!first) b.push_back(',');
    append_json_string(b, kSnapshotField);
    b.append(snapshot ? ":true" : ":false");
  }
  b.append("}\n");
  out.end_record();
}

void GroupTable::emit_state() {
  for (const auto& c : columns_)
    if (!c.fn->mergeable()) {
      const bool mode = c.spec.func == "mode";
      throw UsageError("--emit-state: '" + c.spec.text + "' keeps every value and cannot be merged" +
                       (mode ? " (--approx has no mode either; leave it out)" : "; use --approx"));
    }
  emit_state_ = true;
}

void GroupTable::append_state(const std::byte* block, std::string& out) {
  saved_.clear();
  append_envelope_header(saved_, approx_, columns_.size());
  std::string one;
  for (size_t i = 0; i < columns_.size(); ++i) {
    one.clear();
    columns_[i].fn->save(block + columns_[i].offset, one);
    append_envelope_column(saved_, saved_specs_[i], one);
  }
  out.push_back('"');
  append_base64(out, saved_);
  out.push_back('"');
}

void GroupTable::merge(std::string_view key, std::string_view saved) {
  const Envelope env = read_envelope(saved);
  bool same = env.approx == approx_ && env.columns.size() == columns_.size();
  for (size_t i = 0; same && i < columns_.size(); ++i)
    same = spec_identity(env.columns[i].spec) == spec_identity(saved_specs_[i]);
  if (!same) throw StateError("_state made by other SPECs or --approx than these (give --merge the parts' SPECs)");
  if (!scratch_) {
    auto* p = static_cast<std::byte*>(::operator new(stride_, std::align_val_t(kAlign)));
    scratch_ = {p, [](std::byte* q) { ::operator delete(q, std::align_val_t(kAlign)); }};
  }
  std::byte* tmp = scratch_.get();
  size_t made = 0;
  try {
    for (; made < columns_.size(); ++made) {
      const Column& c = columns_[made];
      c.fn->init(tmp + c.offset);
      c.fn->load(tmp + c.offset, env.columns[made].state);
    }
  } catch (...) {
    for (size_t i = 0; i <= made && i < columns_.size(); ++i) columns_[i].fn->destroy(tmp + columns_[i].offset);
    throw;
  }
  std::byte* b = group(key);
  for (const auto& c : columns_) {
    c.fn->merge(b + c.offset, tmp + c.offset);
    c.fn->destroy(tmp + c.offset);
  }
}

void GroupTable::release(uint32_t e) {
  std::byte* b = block(e);
  for (auto& c : columns_) c.fn->destroy(b + c.offset);
  entries_[e].key.clear();
  entries_[e].key.shrink_to_fit();
  free_entries_.push_back(e);
}

void GroupTable::write_all(RecordBuffer& out) {
  for (uint32_t e : order_) write(e, out, /*snapshot=*/true);
}

void GroupTable::close_all(RecordBuffer& out) {
  for (uint32_t e : order_) {
    write(e, out);
    release(e);
  }
  order_.clear();
  std::fill(slots_.begin(), slots_.end(), Slot{});
  live_ = 0;
}

size_t GroupTable::close_matching(const std::vector<std::optional<std::string>>& want, RecordBuffer& out) {
  size_t closed = 0, kept = 0;
  for (uint32_t e : order_) {
    std::string_view key = entries_[e].key;
    bool match = true;
    for (size_t i = 0; i < key_fields_.size() && match; ++i) {
      size_t nl = key.find('\n');
      std::string_view part = key.substr(0, nl);
      key = nl == std::string_view::npos ? std::string_view() : key.substr(nl + 1);
      if (i < want.size() && want[i] && part != *want[i]) match = false;
    }
    if (!match) {
      order_[kept++] = e;
      continue;
    }
    write(e, out);
    erase(e);
    release(e);
    ++closed;
  }
  order_.resize(kept);
  return closed;
}

}  // namespace su::agg
