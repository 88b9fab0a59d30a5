// The SQL functions of --merge (see state_functions.hpp).
#include "state_functions.hpp"

#include <simdjson.h>

#include <memory>
#include <string>

#include "su/agg/saved.hpp"
#include "su/core/json_write.hpp"
#include "su/core/value.hpp"
#include "su/json/control.hpp"

namespace sink {
namespace {

std::string_view blob_of(sqlite3_value* v) {
  const void* p = sqlite3_value_blob(v);
  return {static_cast<const char*>(p), size_t(sqlite3_value_bytes(v))};
}

// An error that rejects the row (a record error), not the run.
void row_error(sqlite3_context* ctx, const std::string& message) {
  sqlite3_result_error(ctx, message.data(), int(message.size()));
  sqlite3_result_error_code(ctx, SQLITE_MISMATCH);
}

void state_from_text(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  const char* t = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  std::string bytes;
  if (!su::decode_base64({t, size_t(sqlite3_value_bytes(argv[0]))}, bytes))
    return row_error(ctx, std::string(su::control::kStateField) + " is not base64");
  sqlite3_result_blob(ctx, bytes.data(), int(bytes.size()), SQLITE_TRANSIENT);
}

// Each row's update calls su_state_merge once for _state and once in each
// su_state_value: the last merge is kept, keyed by its two inputs.
struct Cache {
  std::string old_bytes, new_bytes, merged;
  std::string value_bytes;  // the state value_group was read from
  std::unique_ptr<su::agg::SavedGroup> value_group;
};

void state_merge(sqlite3_context* ctx, int, sqlite3_value** argv) {
  auto* cache = static_cast<Cache*>(sqlite3_user_data(ctx));
  if (sqlite3_value_type(argv[1]) == SQLITE_NULL) return sqlite3_result_value(ctx, argv[0]);
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_value(ctx, argv[1]);
  std::string_view a = blob_of(argv[0]), b = blob_of(argv[1]);
  if (a != cache->old_bytes || b != cache->new_bytes || cache->merged.empty()) {
    try {
      su::agg::SavedGroup stored(a), incoming(b);
      stored.merge(incoming);
      cache->merged = stored.save();
    } catch (const su::agg::StateError& e) {
      cache->merged.clear();
      return row_error(ctx, e.what());
    }
    cache->old_bytes.assign(a);
    cache->new_bytes.assign(b);
  }
  sqlite3_result_blob(ctx, cache->merged.data(), int(cache->merged.size()), SQLITE_TRANSIENT);
}

// The JSON text of one value as an SQL value: integers, reals, text, null.
void result_json(sqlite3_context* ctx, std::string_view json) {
  if (json == "null") return sqlite3_result_null(ctx);
  if (json == "true" || json == "false") return sqlite3_result_int(ctx, json == "true");  // as the sink writes them
  if (json.size() >= 2 && json.front() == '"') {
    if (json.find('\\') == std::string_view::npos)
      return sqlite3_result_text(ctx, json.data() + 1, int(json.size() - 2), SQLITE_TRANSIENT);
    static thread_local simdjson::dom::parser parser;
    std::string_view text;
    if (parser.parse(simdjson::padded_string(json)).get_string().get(text) == simdjson::SUCCESS)
      return sqlite3_result_text(ctx, text.data(), int(text.size()), SQLITE_TRANSIENT);
  }
  if (auto n = su::parse_number(json)) {
    if (n->kind == su::Value::Kind::Int) return sqlite3_result_int64(ctx, n->i);
    return sqlite3_result_double(ctx, n->d);
  }
  sqlite3_result_text(ctx, json.data(), int(json.size()), SQLITE_TRANSIENT);
}

void state_value(sqlite3_context* ctx, int, sqlite3_value** argv) {
  auto* cache = static_cast<Cache*>(sqlite3_user_data(ctx));
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_value(ctx, argv[2]);
  std::string_view bytes = blob_of(argv[0]);
  if (!cache->value_group || bytes != cache->value_bytes) {
    try {
      cache->value_group = std::make_unique<su::agg::SavedGroup>(bytes);
    } catch (const su::agg::StateError& e) {
      cache->value_group.reset();
      return row_error(ctx, e.what());
    }
    cache->value_bytes.assign(bytes);
  }
  std::string_view name(reinterpret_cast<const char*>(sqlite3_value_text(argv[1])),
                        size_t(sqlite3_value_bytes(argv[1])));
  su::agg::SavedGroup& g = *cache->value_group;
  for (size_t i = 0; i < g.size(); ++i) {
    if (g.name(i) != name) continue;
    std::string json;
    g.write_value(i, json);
    return result_json(ctx, json);
  }
  sqlite3_result_value(ctx, argv[2]);
}

}  // namespace

void register_state_functions(Db& db) {
  auto* cache = new Cache;
  auto destroy = [](void* p) { delete static_cast<Cache*>(p); };
  const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
  int rc =
      sqlite3_create_function_v2(db.get(), "su_state", 1, flags, nullptr, state_from_text, nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK)
    rc =
        sqlite3_create_function_v2(db.get(), "su_state_merge", 2, flags, cache, state_merge, nullptr, nullptr, destroy);
  else
    delete cache;
  if (rc == SQLITE_OK)
    rc =
        sqlite3_create_function_v2(db.get(), "su_state_value", 3, flags, cache, state_value, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) db.fail("cannot register the --merge functions");
}

std::string check_state_text(std::string_view base64) {
  std::string bytes;
  if (!su::decode_base64(base64, bytes)) return std::string(su::control::kStateField) + " is not base64";
  try {
    su::agg::SavedGroup g(bytes);
  } catch (const su::agg::StateError& e) {
    return e.what();
  }
  return {};
}

}  // namespace sink
