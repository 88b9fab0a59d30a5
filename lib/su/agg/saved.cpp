// One group's saved states on their own (see saved.hpp).
#include "su/agg/saved.hpp"

#include <new>

#include "su/core/error.hpp"

namespace su::agg {

SavedGroup::SavedGroup(std::string_view bytes) {
  try {
    read(bytes);
  } catch (...) {
    release();  // the destructor does not run for a constructor that threw
    throw;
  }
}

void SavedGroup::read(std::string_view bytes) {
  const Envelope env = read_envelope(bytes);
  approx_ = env.approx;
  columns_.reserve(env.columns.size());
  for (const auto& c : env.columns) {
    Col col;
    try {
      col.spec = parse_spec(c.spec);
    } catch (const UsageError&) {
      throw StateError("_state names an unknown aggregate '" + std::string(c.spec) + "'");
    }
    col.saved_spec = std::string(c.spec);
    col.fn = make_function(col.spec, approx_);
    if (!col.fn->mergeable()) throw StateError("_state names an aggregate that cannot be merged");
    const size_t align = col.fn->state_align();
    auto* p = static_cast<std::byte*>(::operator new(col.fn->state_size(), std::align_val_t(align)));
    col.state = {p, [](std::byte*) {}};  // freed by the destructor, with its alignment
    columns_.push_back(std::move(col));
    Col& back = columns_.back();
    back.fn->init(back.state.get());
    back.live = true;
    back.fn->load(back.state.get(), c.state);
  }
}

SavedGroup::~SavedGroup() {
  release();
}

void SavedGroup::release() noexcept {
  for (auto& c : columns_) {
    if (!c.state) continue;
    if (c.live) c.fn->destroy(c.state.get());
    ::operator delete(c.state.release(), std::align_val_t(c.fn->state_align()));
  }
  columns_.clear();
}

void SavedGroup::merge(SavedGroup& o) {
  bool same = o.approx_ == approx_ && o.columns_.size() == columns_.size();
  for (size_t i = 0; same && i < columns_.size(); ++i)
    same = spec_identity(o.columns_[i].saved_spec) == spec_identity(columns_[i].saved_spec);
  if (!same) throw StateError("_state of other SPECs or --approx than the stored one");
  for (size_t i = 0; i < columns_.size(); ++i)
    columns_[i].fn->merge(columns_[i].state.get(), o.columns_[i].state.get());
}

std::string SavedGroup::save() const {
  std::string out, one;
  append_envelope_header(out, approx_, columns_.size());
  for (const auto& c : columns_) {
    one.clear();
    c.fn->save(c.state.get(), one);
    append_envelope_column(out, c.saved_spec, one);
  }
  return out;
}

void SavedGroup::write_value(size_t i, std::string& out) {
  columns_[i].fn->write(columns_[i].state.get(), out);
}

}  // namespace su::agg
