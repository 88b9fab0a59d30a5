// The dashboard's files, embedded in the binary at build time (embed.cmake):
// the page, its script and style, and Chart.js from Debian's libjs-chart.js.
// The server serves these and nothing from the disk.
#pragma once
#include <string_view>

namespace stream_serve {

struct Asset {
  std::string_view path;  // "/", "/app.js", ...
  std::string_view type;  // the Content-Type
  std::string_view body;
};

// The asset served at `path`, or nullptr.
const Asset* find_asset(std::string_view path);

}  // namespace stream_serve
