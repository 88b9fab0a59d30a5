// A canvas of Unicode braille cells: each character cell holds 2x4 dots, so a
// terminal of C columns and R rows draws 2C x 4R points. Each cell keeps the
// colour of the series that set a dot in it last.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace su::plot {

class Canvas {
 public:
  Canvas(int cols, int rows);
  int cols() const { return cols_; }
  int rows() const { return rows_; }
  int width() const { return cols_ * 2; }   // dots
  int height() const { return rows_ * 4; }  // dots, 0 at the top
  // Sets one dot (outside the canvas: nothing). color: 0 for none, else an ANSI code.
  void set(int x, int y, uint8_t color);
  // A straight line between two dots (Bresenham), clipped to the canvas.
  void line(int x0, int y0, int x1, int y1, uint8_t color);
  bool dot(int x, int y) const;
  // One row of cells as UTF-8 (U+2800 + dots; an empty cell is a space), with
  // ANSI colour escapes when color is set.
  void append_row(std::string& out, int row, bool color) const;

 private:
  int cols_, rows_;
  std::vector<uint8_t> bits_, color_;
};

}  // namespace su::plot
