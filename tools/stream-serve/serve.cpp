// stream-serve's run: the record loop feeds the Hub (and stdout with --tee)
// while the WebServer serves it; after the input, the last state is served
// until a stop signal (or, with --exit-at-end, until the clients have it all).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "hub.hpp"
#include "options.hpp"
#include "server.hpp"
#include "su/core/error.hpp"
#include "su/options.hpp"
#include "su/record_loop.hpp"
#include "su/serve/access.hpp"
#include "su/signals.hpp"

namespace stream_serve {
namespace {

using namespace std::chrono_literals;
constexpr auto kDrainAtEnd = 5s;  // --exit-at-end: how long clients may take to read the last events

class Feeder : public su::RecordHandler {
 public:
  Feeder(const Options& o, Hub& hub, su::Output& out, su::Diagnostics& diag)
      : o_(o),
        hub_(hub),
        out_(out),
        diag_(diag),
        reader_(o.by.empty() ? std::vector<std::string>{} : std::vector{o.by}) {}

  std::string read(const su::Line& l, simdjson::ondemand::document& doc) override {
    if (o_.by.empty()) return {};
    std::string err = reader_.read(doc);
    if (err.empty()) reader_.own(l.text);
    return err;
  }

  std::string apply(const su::Line& l) override {
    if (o_.tee) {
      out_.write(l.text);
      out_.put('\n');
      out_.end_record();
    }
    std::string_view key;
    if (!o_.by.empty()) {
      const su::Value& k = reader_.value(0);
      key = k.kind == su::Value::Kind::String ? std::string_view(k.s) : reader_.text(0);
      if (k.is_null_or_missing()) key = "null";
    }
    hub_.stage_record(l.text, key);
    return {};
  }

  void control(const su::Line& l, const su::control::Record&) override { hub_.stage_control(l.text); }
  // Under load, events are published at most every kPublishEvery, and only
  // when no client holds the lock (up to kMaxStaged events): the clients are
  // woken less often, and the loop never waits for one. Before a wait for
  // input and at the end, everything staged is published.
  void after_block() override {
    const auto now = Clock::now();
    if (now - last_publish_ < kPublishEvery && hub_.staged() < kMaxStaged) return;
    publish(hub_.staged() < kMaxStaged);
  }
  void before_block() override { publish(false); }
  void finish(bool) override { publish(false); }

 private:
  using Clock = std::chrono::steady_clock;
  static constexpr auto kPublishEvery = std::chrono::milliseconds(10);
  static constexpr size_t kMaxStaged = 1 << 16;

  void publish(bool only_if_free) {
    last_publish_ = Clock::now();
    if (hub_.publish(only_if_free) && !warned_full_) {
      warned_full_ = true;
      diag_.warn("more than " + std::to_string(o_.max_keys) +
                 " keys: /latest and the dashboard's table keep the first ones only (--max-keys)");
    }
  }

  const Options& o_;
  Hub& hub_;
  su::Output& out_;
  su::Diagnostics& diag_;
  su::FieldReader reader_;
  bool warned_full_ = false;
  Clock::time_point last_publish_{};
};

// With --tee, the next stage sees the end of the stream when the input ends,
// though the server goes on.
void end_stdout(su::Output& out) {
  out.flush();
  int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null >= 0) {
    ::dup2(null, 1);
    ::close(null);
  }
}

}  // namespace

void check_options(const Options& o) {
  for (const auto& y : o.y)
    if (y.empty()) throw su::UsageError("--y: empty field name");
  const su::serve::ListenAddress a = su::serve::parse_listen(o.listen);
  if (o.tls_cert.empty() != o.tls_key.empty()) throw su::UsageError("--tls-cert and --tls-key go together");
  if (!o.token_file.empty() && o.no_auth) throw su::UsageError("--token and --no-auth exclude each other");
  if (o.token_file.empty() && !o.no_auth && !su::serve::is_loopback(a.host))
    throw su::UsageError("--listen " + o.listen +
                         " can be reached from other machines: give --token FILE (or --no-auth to serve without one)");
}

int run(const Options& o) {
  const std::string token = o.token_file.empty() ? std::string() : su::read_token_file(o.token_file);
  su::InputReader in(o.common.inputs, o.common.max_line_bytes());
  su::Output out(1);
  su::Diagnostics diag("stream-serve", o.common);
  Hub hub(o.history, size_t(o.history_bytes), o.max_keys, o.max_clients);
  WebServer server(o, token, hub);
  const std::string url = server.start();
  diag.warn("serving " + url + (token.empty() ? "" : " (with the token: " + url + "?token=...)"));
  Feeder feeder(o, hub, out, diag);
  su::LoopOptions lo;
  lo.forward_control = o.tee && o.common.control_enabled();
  lo.watch_output = o.tee;  // without --tee stdout is not its output: a closed one does not end the server
  const int status = su::RecordLoop(in, out, diag, feeder, lo).run();
  if (!su::stop_requested()) {
    end_stdout(out);
    hub.end_input(o.exit_at_end);
    if (o.exit_at_end) {
      const auto deadline = std::chrono::steady_clock::now() + kDrainAtEnd;
      while (hub.clients() > 0 && !su::stop_requested() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(20ms);
    } else {
      while (!su::stop_requested()) std::this_thread::sleep_for(100ms);
    }
  }
  server.stop();
  return status;
}

}  // namespace stream_serve
