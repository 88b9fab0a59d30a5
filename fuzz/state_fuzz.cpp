// libFuzzer target: the readers of saved aggregate states (`_state`), with
// properties checked, not just run (a failed check traps):
// - base64: decode_base64 accepts exactly what append_base64 writes back;
// - any bytes either are refused (StateError) or read as a group whose
//   saved form reads back to the same values (SavedGroup; the bytes may
//   differ: a hash set's order, a sum's partials), and merging it into
//   itself, or into a group table of its SPECs, never crashes;
// - GroupTable::merge of refused bytes makes no group.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "su/agg/group.hpp"
#include "su/agg/saved.hpp"
#include "su/core/buffer.hpp"
#include "su/core/json_write.hpp"

namespace {
void require(bool ok) {
  if (!ok) __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);

  std::string bytes;
  if (su::decode_base64(in, bytes)) {
    std::string again;
    su::append_base64(again, bytes);
    require(again == in);
  }

  for (std::string_view saved : {in, std::string_view(bytes)}) {
    std::string first;
    std::vector<su::agg::Spec> specs;
    bool approx = false;
    try {
      su::agg::SavedGroup g(saved);
      first = g.save();
      su::agg::SavedGroup back(first);
      std::string a, b;
      for (size_t i = 0; i < g.size(); ++i) g.write_value(i, a);
      for (size_t i = 0; i < back.size(); ++i) back.write_value(i, b);
      require(a == b);
      su::agg::SavedGroup twin(first);
      g.merge(twin);
      std::string out;
      for (size_t i = 0; i < g.size(); ++i) g.write_value(i, out);
      const su::agg::Envelope env = su::agg::read_envelope(first);
      approx = env.approx;
      for (const auto& c : env.columns) specs.push_back(su::agg::parse_spec(c.spec));
    } catch (const su::agg::StateError&) {
      continue;
    }
    if (specs.empty()) continue;
    su::agg::GroupTable t({"g"}, specs, approx);
    t.merge("\"a\"", first);
    t.merge("\"a\"", first);
    require(t.size() == 1);
    bool refused = false;
    try {
      t.merge("\"b\"", first.substr(0, first.size() / 2));
    } catch (const su::agg::StateError&) {
      refused = true;
    }
    require(refused ? t.size() == 1 : t.size() == 2);
    su::RecordBuffer out;
    t.close_all(out);
  }
  return 0;
}
