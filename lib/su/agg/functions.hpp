// Aggregate functions of stream-agg: one table of {name, help, factory} drives
// SPEC parsing, dispatch, --help and the docs. A Function is made once per
// SPEC; its per-group state lives in a block owned by the group table.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <span>
#include <string>
#include <string_view>

#include "su/agg/state.hpp"
#include "su/core/value.hpp"

namespace su::agg {

// One aggregate over one field. State is raw memory of state_size() bytes
// (aligned to state_align()) that init() constructs and destroy() ends.
class Function {
 public:
  virtual ~Function() = default;
  virtual size_t state_size() const = 0;
  virtual size_t state_align() const = 0;
  virtual void init(void* state) const = 0;
  virtual void destroy(void* state) const = 0;
  // v is the field's value in one record (Missing when absent; for `count`
  // without a field, always Missing).
  virtual void add(void* state, const Value& v) = 0;
  // Appends the result as a JSON value (null when there is none). May reorder
  // the state's internals (e.g. the values of a median) but not change them.
  virtual void write(void* state, std::string& out) const = 0;

  // Mergeable states (CONTRACT 10, su/agg/state.hpp). False for the
  // functions that keep every value (exact percentiles, distinct, mode): they
  // cannot be saved in bounded memory, and the others below do nothing.
  virtual bool mergeable() const { return false; }
  // Appends the state's bytes.
  virtual void save(const void* /*state*/, std::string& /*out*/) const {}
  // Reads saved bytes into a state just made by init(); throws StateError.
  virtual void load(void* /*state*/, std::string_view /*saved*/) const {}
  // Adds the state src (then left to be destroyed) into dst: dst becomes the
  // state of the union of both inputs.
  virtual void merge(void* /*dst*/, void* /*src*/) const {}
  // The time of the values added next (first and last keep it, to merge by
  // time): nanoseconds on any clock the parts share.
  virtual void set_time(int64_t /*ns*/) {}
  virtual bool uses_time() const { return false; }
  // Values of a type this function cannot use (e.g. a string given to mean):
  // skipped and counted here.
  uint64_t skipped() const { return skipped_; }

 protected:
  uint64_t skipped_ = 0;
};

// A parsed SPEC: FUNC[:FIELD][=NAME].
struct Spec {
  std::string text;   // as given
  std::string func;   // e.g. "p99.9"
  std::string field;  // empty for `count`
  std::string name;   // output field name
  double param = 0;   // the percentile of pNN
  // The same percentile as an exact fraction: "p99.9" is 999/10.
  int64_t param_num = 0, param_den = 1;
};

struct FunctionInfo {
  std::string_view name;  // "pNN" names a family: any percentile p0 .. p100 (see matches)
  std::string_view help;  // one line, for --help and the completions
  std::string_view doc;   // what the man page adds to help (`x`: literal, in bold; *x*: a placeholder)
  bool needs_field;
  std::unique_ptr<Function> (*make)(const Spec& spec, bool approx);
  // A family of names: true when func is one of them. nullptr: only `name`.
  bool (*matches)(std::string_view func) = nullptr;
  // Sets the spec's parameters from its name (pNN: the percentile; median:
  // 50); throws su::UsageError. nullptr: no parameters.
  void (*params)(Spec& spec) = nullptr;
  // Names of a family that the completions offer ("p50 p90 ...").
  std::string_view examples = {};
};

// Every function, in the order of the docs. Looked up by name (find_function):
// a row added anywhere shifts no other.
std::span<const FunctionInfo> function_table();
// The row for func ("mean", "p99.9"), or nullptr.
const FunctionInfo* find_function(std::string_view func);
// Parses SPEC; throws su::UsageError with a one-line reason.
Spec parse_spec(std::string_view text);
std::unique_ptr<Function> make_function(const Spec& spec, bool approx);
// The SPEC as a saved state names it: FUNC[:FIELD]=NAME (parse_spec reads it).
std::string saved_spec_text(const Spec& spec);
// Is func the name of a function (count, mean, p99.9, ...)?
bool is_function(std::string_view func);
// "  count     records in the group\n  sum ..." for --help.
std::string functions_help();

// ---- helpers shared by the function implementations -----------------------

// The number a value stands for: numbers, and strings in JSON number syntax.
// False for null, missing, booleans, other strings, objects and arrays.
bool as_number(const Value& v, Value& num);
// (append_canonical, the value as JSON text in a canonical form so that equal
// values have equal text, is su::append_canonical of su/core/value.hpp.)

// Adapts a struct with `using State`, add(State&, const Value&) and
// write(State&, std::string&) to the Function interface.
template <class Impl>
class Adapter final : public Function {
 public:
  template <class... A>
  explicit Adapter(A&&... a) : impl_{std::forward<A>(a)...} {}
  using State = typename Impl::State;
  size_t state_size() const override { return sizeof(State); }
  size_t state_align() const override { return alignof(State); }
  void init(void* s) const override { new (s) State(); }
  void destroy(void* s) const override { static_cast<State*>(s)->~State(); }
  void add(void* s, const Value& v) override {
    if (!impl_.add(*static_cast<State*>(s), v)) ++skipped_;
  }
  void write(void* s, std::string& out) const override { impl_.write(*static_cast<State*>(s), out); }

  static constexpr bool kMergeable = requires(const Impl& i, State& st, StateWriter& w, StateReader& r) {
    i.save(st, w);
    i.load(st, r);
    i.merge(st, st);
  };
  bool mergeable() const override { return kMergeable; }
  void save(const void* s, std::string& out) const override {
    if constexpr (kMergeable) {
      StateWriter w(out);
      impl_.save(*static_cast<const State*>(s), w);
    }
  }
  void load(void* s, std::string_view saved) const override {
    if constexpr (kMergeable) {
      StateReader r(saved);
      impl_.load(*static_cast<State*>(s), r);
      r.expect_end();
    }
  }
  void merge(void* dst, void* src) const override {
    if constexpr (kMergeable) impl_.merge(*static_cast<State*>(dst), *static_cast<State*>(src));
  }
  void set_time(int64_t ns) override {
    if constexpr (requires(Impl & i) { i.time = ns; }) impl_.time = ns;
  }
  bool uses_time() const override {
    return requires(Impl & i) {
      i.time = 0;
    };
  }

 private:
  Impl impl_;
};

// Factories of the functions that keep every value (agg_values.cpp).
std::unique_ptr<Function> make_percentile(const Spec& spec, bool approx);
std::unique_ptr<Function> make_distinct(const Spec& spec, bool approx);
std::unique_ptr<Function> make_mode(const Spec& spec, bool approx);

}  // namespace su::agg
