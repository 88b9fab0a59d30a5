// Error types thrown by the library. Only a tool's main() turns them into an
// exit status (see common/su/tool.hpp): lib/ never exits or prints.
#pragma once
#include <stdexcept>
#include <string>

namespace su {

// A fatal runtime error: cannot open a file, database error, disk full. Exit 3.
struct Fatal : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A bad option or argument found after option parsing. Exit 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// stdout was closed by the reader (`| head`): the tool ends quietly, status 0.
struct BrokenPipe : std::exception {
  const char* what() const noexcept override { return "broken pipe"; }
};

}  // namespace su
