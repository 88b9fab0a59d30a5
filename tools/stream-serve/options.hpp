// stream-serve's options (main.cpp builds them from the command line).
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "su/tool.hpp"

namespace stream_serve {

struct Options {
  su::CommonOptions common;
  std::string listen = "127.0.0.1:8080";
  std::string x, by, title;
  std::vector<std::string> y;
  size_t points = 2000;
  size_t history = 10000;
  uint64_t history_bytes = uint64_t(64) << 20;
  size_t max_keys = 1000;
  size_t max_clients = 256;
  std::string tls_cert, tls_key, token_file;
  bool no_auth = false, tee = false, exit_at_end = false;
};

// Usage errors found after parsing (throws su::UsageError).
void check_options(const Options& o);
// The tool: serve, read, keep serving until a signal (or end of input with
// --exit-at-end). Returns the exit status.
int run(const Options& o);

}  // namespace stream_serve
