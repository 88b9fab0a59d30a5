// The stream-plot loop (see plotter.hpp).
#include "plotter.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <unordered_map>

#include "su/core/error.hpp"
#include "su/core/units.hpp"
#include "su/plot/chart.hpp"
#include "su/plot/svg.hpp"
#include "su/plot/terminal.hpp"
#include "su/record_loop.hpp"
#include "su/time/timeparse.hpp"

namespace stream_plot {
namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kMaxSeries = 64;

volatile sig_atomic_t g_resized = 0;
void on_winch(int) {
  g_resized = 1;
}

void write_all(int fd, std::string_view s) {
  while (!s.empty()) {
    ssize_t n = ::write(fd, s.data(), s.size());
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      if (errno == EPIPE) throw su::BrokenPipe();
      throw su::Fatal(std::string("cannot write the chart: ") + std::strerror(errno));
    }
    s.remove_prefix(size_t(n));
  }
}

// The terminal the chart is drawn on: the alternate screen while it runs,
// the normal screen (and cursor) back when it ends, however it ends.
class Screen {
 public:
  explicit Screen(int fd) : fd_(fd) {
    struct sigaction sa {};
    sa.sa_handler = on_winch;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: a wait for input ends, and the chart is redrawn
    sigaction(SIGWINCH, &sa, nullptr);
    write_all(fd_, "\x1b[?1049h\x1b[?25l\x1b[2J");
    active_ = true;
    measure();
  }
  ~Screen() { restore(); }
  void restore() noexcept {
    if (!active_) return;
    active_ = false;
    try {
      write_all(fd_, "\x1b[?25h\x1b[?1049l");
    } catch (...) {
    }
  }
  void measure() {
    winsize ws{};
    if (::ioctl(fd_, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0) {
      cols_ = ws.ws_col;
      rows_ = ws.ws_row;
    }
  }
  void draw(const std::vector<std::string>& lines) {
    std::string f = "\x1b[H";
    for (size_t i = 0; i < lines.size(); ++i) {
      f.append(lines[i]);
      f.append("\x1b[K");
      if (i + 1 < lines.size()) f.append("\r\n");
    }
    f.append("\x1b[J");
    write_all(fd_, f);
  }
  int fd() const { return fd_; }
  int cols() const { return cols_; }
  int rows() const { return rows_; }

 private:
  int fd_;
  bool active_ = false;
  int cols_ = 80, rows_ = 24;
};

// Writes the SVG to a temporary file beside FILE, then renames it over FILE.
void write_svg_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw su::Fatal(tmp + ": " + std::strerror(errno));
  try {
    write_all(fd, text);
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  if (::close(fd) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string err = std::strerror(errno);
    ::unlink(tmp.c_str());
    throw su::Fatal(path + ": " + err);
  }
}

class Plotter : public su::RecordHandler {
 public:
  Plotter(const Options& o, su::Output& out, su::Diagnostics& diag, int chart_fd)
      : o_(o), out_(out), diag_(diag), reader_(wanted()), frame_(std::chrono::nanoseconds(int64_t(1e9 / o.fps))) {
    chart_.max_points = o.points;
    chart_.ymin = o.ymin;
    chart_.ymax = o.ymax;
    if (o.span_ns) chart_.span = double(*o.span_ns) / 1e9;
    for (size_t i = 0; i < o.y.size(); ++i) reader_.set_value_only(i);
    if (x_slot_ != kNone) reader_.set_value_only(x_slot_);
    skipped_.assign(o.y.size(), 0);
    keys_.resize(o.y.size());
    if (o.by.empty())
      for (const auto& y : o.y) chart_.series(y);  // the legend shows them before the first record
    if (chart_fd >= 0) screen_ = std::make_unique<Screen>(chart_fd);
    last_draw_ = Clock::now() - frame_;
  }

  std::string read(const su::Line& l, simdjson::ondemand::document& doc) override {
    std::string err = reader_.read(doc);
    if (err.empty()) reader_.own(l.text);
    return err;
  }
  bool reads_elements() const override { return reader_.dom_ok(); }
  std::string read(const su::Line& l, simdjson::dom::element el) override {
    std::string err = reader_.read(el);
    if (err.empty()) reader_.own(l.text);
    return err;
  }

  std::string apply(const su::Line& l) override {
    ++records_;
    if (o_.tee) {
      out_.write(l.text);
      out_.put('\n');
      out_.end_record();
    }
    double x;
    if (!x_of(x)) {
      ++x_skipped_;
      return {};
    }
    for (size_t i = 0; i < o_.y.size(); ++i) {
      const su::Value& v = reader_.value(i);
      if (!v.is_number() || !std::isfinite(v.as_double())) {
        ++skipped_[i];
        continue;
      }
      const size_t s = series_of(i);
      if (s == kNone) continue;
      chart_.add(s, x, v.as_double());
    }
    dirty_ = true;
    return {};
  }

  // A close completes a window's results. Once closes come, the chart is
  // redrawn at closes only (never with half a window's results), at most
  // --fps times a second: at once when a frame is due, else when it is.
  void control(const su::Line&, const su::control::Record& c) override {
    if (c.kind != su::control::Kind::Close) return;
    at_closes_ = true;
    if (!dirty_) return;
    complete_ = true;
    if (Clock::now() - last_draw_ >= frame_) draw();
  }

  int timeout_ms() override {
    if (g_resized && screen_) {
      g_resized = 0;
      screen_->measure();
      draw();
    }
    int wait = -1;
    if (dirty_ && (complete_ || !at_closes_)) {
      auto left = frame_ - (Clock::now() - last_draw_);
      if (left <= Clock::duration::zero())
        draw();
      else
        wait = int(std::chrono::duration_cast<std::chrono::milliseconds>(left).count()) + 1;
    }
    // On a terminal, look at its size now and then (SIGWINCH also wakes the wait).
    if (screen_) wait = wait < 0 ? 250 : std::min(wait, 250);
    return wait;
  }

  void finish(bool complete) override {
    draw();
    if (screen_) {
      // At the end of input the last chart stays on the normal screen.
      std::vector<std::string> last = frame(2);  // and the shell's prompt below it
      screen_->restore();
      if (complete) {
        std::string f;
        for (const auto& l : last) f.append(l).append("\r\n");
        write_all(screen_->fd(), f);
      }
    }
    report_skipped();
  }

  void abort() noexcept override {
    if (screen_) screen_->restore();
  }

 private:
  static constexpr size_t kNone = size_t(-1);

  std::vector<std::string> wanted() {
    std::vector<std::string> names = o_.y;
    if (!o_.x.empty()) {
      x_slot_ = names.size();
      names.push_back(o_.x);
    }
    if (!o_.by.empty()) {
      by_slot_ = names.size();
      names.push_back(o_.by);
    }
    return names;
  }

  // The x of the record read last: the record number, a number, or a time in seconds.
  bool x_of(double& x) {
    if (x_slot_ == kNone) {
      x = double(records_);
      return true;
    }
    const su::Value& v = reader_.value(x_slot_);
    if (v.is_number() && !time_x_known_) {
      x = v.as_double();
      number_x_ = true;
      return std::isfinite(x);
    }
    if (v.kind == su::Value::Kind::String && !number_x_) {
      auto t = times_.parse(v.s);
      if (!t) return false;
      time_x_known_ = chart_.time_x = true;
      x = double(*t) / 1e9;
      return true;
    }
    return false;
  }

  // The series of --y field i for this record's --by key.
  size_t series_of(size_t i) {
    if (by_slot_ == kNone) return i;
    const su::Value& k = reader_.value(by_slot_);
    key_.assign(k.kind == su::Value::Kind::String ? k.s : reader_.text(by_slot_));
    if (k.is_null_or_missing()) key_ = "null";
    auto& m = keys_[i];
    auto it = m.find(key_);
    if (it != m.end()) return it->second;
    if (chart_.all().size() >= kMaxSeries) {
      if (!too_many_) diag_.warn("more than " + std::to_string(kMaxSeries) + " series: the others are not drawn");
      too_many_ = true;
      return m[key_] = kNone;
    }
    std::string name = o_.y.size() == 1 ? key_ : o_.y[i] + " " + key_;
    return m[key_] = chart_.series(name);
  }

  std::string status() const {
    uint64_t skipped = x_skipped_;
    for (auto s : skipped_) skipped += s;
    std::string st = std::to_string(records_) + (records_ == 1 ? " record" : " records");
    if (skipped) st += ", " + std::to_string(skipped) + " skipped";
    return st;
  }

  // A frame of the terminal's size, less `spare` rows.
  std::vector<std::string> frame(int spare = 1) const {
    std::vector<std::string> lines =
        su::plot::render_terminal(chart_, screen_->cols(), screen_->rows() - spare, true, status());
    if (!o_.title.empty()) lines[0] = o_.title + "  " + lines[0];
    return lines;
  }

  void draw() {
    last_draw_ = Clock::now();
    dirty_ = complete_ = false;
    if (screen_) screen_->draw(frame());
    if (!o_.svg.empty())
      write_svg_atomically(o_.svg, su::plot::render_svg(chart_, o_.svg_width, o_.svg_height, o_.title));
  }

  void report_skipped() {
    if (x_skipped_)
      diag_.warn(o_.x + ": " + std::to_string(x_skipped_) + (x_skipped_ == 1 ? " record" : " records") +
                 " skipped (x missing or not a time or number)");
    for (size_t i = 0; i < o_.y.size(); ++i)
      if (skipped_[i])
        diag_.warn(o_.y[i] + ": " + std::to_string(skipped_[i]) + (skipped_[i] == 1 ? " value" : " values") +
                   " skipped (missing or not a number)");
  }

  const Options& o_;
  su::Output& out_;
  su::Diagnostics& diag_;
  size_t x_slot_ = kNone, by_slot_ = kNone;
  su::FieldReader reader_;
  su::TimeParser times_;
  su::plot::Chart chart_;
  std::unique_ptr<Screen> screen_;
  Clock::duration frame_;
  Clock::time_point last_draw_;
  bool dirty_ = true, complete_ = false, at_closes_ = false, time_x_known_ = false, number_x_ = false,
       too_many_ = false;
  uint64_t records_ = 0, x_skipped_ = 0;
  std::vector<uint64_t> skipped_;
  std::vector<std::unordered_map<std::string, size_t>> keys_;
  std::string key_;
};

}  // namespace

void check_options(const Options& o) {
  for (const auto& y : o.y)
    if (y.empty()) throw su::UsageError("--y: empty field name");
  if (o.span_ns && o.x.empty()) throw su::UsageError("--span: needs --x (a time or number field)");
  if (o.span_ns && *o.span_ns <= 0) throw su::UsageError("--span: expected a positive duration");
  if (o.ymin && o.ymax && !(*o.ymin < *o.ymax)) throw su::UsageError("--ymin must be below --ymax");
  if (!o.tee && o.svg.empty() && !::isatty(1))
    throw su::UsageError("stdout is not a terminal: give --svg FILE for a chart file, or --tee");
}

int run(const Options& o) {
  su::InputReader in(o.common.inputs, o.common.max_line_bytes());
  su::Output out(1);
  su::Diagnostics diag("stream-plot", o.common);
  // The chart goes to stdout when it is a terminal; with --tee stdout carries
  // the records, and the chart goes to stderr when that is a terminal.
  const int chart_fd = !o.tee && ::isatty(1) ? 1 : o.tee && ::isatty(2) ? 2 : -1;
  Plotter plot(o, out, diag, chart_fd);
  su::LoopOptions lo;
  lo.forward_control = o.tee && o.common.control_enabled();
  return su::RecordLoop(in, out, diag, plot, lo).run();
}

}  // namespace stream_plot
