// Writing JSON text: strings escaped per RFC 8259, integers, shortest
// round-trip doubles, and members appended to an object's raw text.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace su {

// JSON text helpers. Strings are escaped per RFC 8259; bytes that are not
// valid UTF-8 are written as \u00XX (so nothing is dropped).
void append_json_string(std::string& out, std::string_view s);
void append_int(std::string& out, int64_t v);
// Standard base64 (RFC 4648, with '=' padding) of any bytes: how a reject
// carries a line that is not UTF-8. (Ten lines; no library of ours has it.)
void append_base64(std::string& out, std::string_view bytes);
// Decodes standard base64 (padding required, no whitespace), appending the
// bytes to out. False on any other character, a bad length or bad padding.
bool decode_base64(std::string_view text, std::string& out);
// Shortest round-trip text; NaN and infinities become null. Beyond the int64
// range always with an exponent (1.8446744073709552e+19), so that every reader
// takes it for a double, never for an integer out of range.
void append_double(std::string& out, double v);

// Appends members to the raw text of a JSON object without re-serialising it:
// `members` is `"k":v,"k2":v2` (no leading comma). Returns false when raw does
// not end with '}'.
bool append_members_to_object(std::string& out, std::string_view raw_object, std::string_view members);

}  // namespace su
