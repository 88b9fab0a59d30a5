// The braille canvas (see braille.hpp).
#include "su/plot/braille.hpp"

#include <algorithm>
#include <cstdlib>

namespace su::plot {
namespace {
// The bit of dot (x % 2, y % 4) in a braille cell (Unicode 2800-28FF).
constexpr uint8_t kBit[4][2] = {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};
}  // namespace

Canvas::Canvas(int cols, int rows)
    : cols_(std::max(cols, 1)),
      rows_(std::max(rows, 1)),
      bits_(size_t(cols_) * size_t(rows_)),
      color_(size_t(cols_) * size_t(rows_)) {}

void Canvas::set(int x, int y, uint8_t color) {
  if (x < 0 || y < 0 || x >= width() || y >= height()) return;
  const size_t cell = size_t(y / 4) * size_t(cols_) + size_t(x / 2);
  bits_[cell] |= kBit[y % 4][x % 2];
  if (color) color_[cell] = color;
}

bool Canvas::dot(int x, int y) const {
  if (x < 0 || y < 0 || x >= width() || y >= height()) return false;
  return bits_[size_t(y / 4) * size_t(cols_) + size_t(x / 2)] & kBit[y % 4][x % 2];
}

void Canvas::line(int x0, int y0, int x1, int y1, uint8_t color) {
  // Clamp far-away ends so the loop stays short; the canvas clips the rest.
  auto clamp = [](int v, int hi) { return std::clamp(v, -hi, 2 * hi); };
  x0 = clamp(x0, width()), x1 = clamp(x1, width()), y0 = clamp(y0, height()), y1 = clamp(y1, height());
  const int dx = std::abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
  const int dy = -std::abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
  int err = dx + dy;
  for (;;) {
    set(x0, y0, color);
    if (x0 == x1 && y0 == y1) break;
    const int e2 = 2 * err;
    if (e2 >= dy) err += dy, x0 += sx;
    if (e2 <= dx) err += dx, y0 += sy;
  }
}

void Canvas::append_row(std::string& out, int row, bool color) const {
  uint8_t current = 0;
  for (int c = 0; c < cols_; ++c) {
    const size_t cell = size_t(row) * size_t(cols_) + size_t(c);
    const uint8_t b = bits_[cell];
    if (b == 0) {
      out.push_back(' ');
      continue;
    }
    if (color && color_[cell] != current) {
      current = color_[cell];
      out.append("\x1b[");
      out.append(std::to_string(int(current)));
      out.push_back('m');
    }
    out.push_back(char(0xE2));
    out.push_back(char(0xA0 | (b >> 6)));
    out.push_back(char(0x80 | (b & 0x3F)));
  }
  if (color && current) out.append("\x1b[0m");
}

}  // namespace su::plot
