// The SQL functions of stream-sink-sqlite --merge, registered on its
// connection: su_state(TEXT) turns a `_state` (base64) into a BLOB,
// su_state_merge(OLD, NEW) merges two of them (OLD may be NULL), and
// su_state_value(STATE, NAME, ELSE) is the value of the aggregate whose result
// field is NAME, or ELSE when the state has none of that name. The upsert of
// --merge is one statement with them: the stored row and the incoming one
// merge in the same transaction as every other row.
#pragma once
#include <string_view>

#include "sqlite_db.hpp"

namespace sink {

void register_state_functions(Db& db);

// Checks a `_state` text before it is queued: "" or why it is rejected.
std::string check_state_text(std::string_view base64);

}  // namespace sink
