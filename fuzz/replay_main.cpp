// A main for the fuzz targets where there is no libFuzzer (GCC, or clang
// without -DSTREAM_UTILS_FUZZ=ON), as simdjson's fuzz/main.cpp: feeds each
// file named on the command line, and each file under each directory named,
// to LLVMFuzzerTestOneInput once, in name order. Exit status 0 when every
// input ran, 1 when an argument cannot be read; a finding crashes (trap,
// sanitizer) as under libFuzzer. ctest replays fuzz/seeds/<target>/ this way.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {
namespace fs = std::filesystem;

// Runs one file's bytes from a buffer of exactly their size, so that a
// sanitizer sees a read past the end as under libFuzzer.
bool replay(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return false;
  std::unique_ptr<uint8_t[]> data(new uint8_t[bytes.size()]);
  std::copy(bytes.begin(), bytes.end(), data.get());
  LLVMFuzzerTestOneInput(data.get(), bytes.size());
  return true;
}
}  // namespace

int main(int argc, char** argv) {
  size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    std::error_code ec;
    std::vector<fs::path> files;
    if (fs::is_directory(argv[i], ec)) {
      for (const fs::directory_entry& e : fs::recursive_directory_iterator(argv[i], ec))
        if (e.is_regular_file()) files.push_back(e.path());
      std::sort(files.begin(), files.end());
    } else {
      files.emplace_back(argv[i]);
    }
    if (ec) {
      std::fprintf(stderr, "%s: %s: %s\n", argv[0], argv[i], ec.message().c_str());
      return 1;
    }
    for (const fs::path& f : files) {
      if (!replay(f)) {
        std::fprintf(stderr, "%s: %s: cannot read\n", argv[0], f.c_str());
        return 1;
      }
      ++count;
    }
  }
  std::printf("%s: replayed %zu inputs\n", argv[0], count);
  return 0;
}
