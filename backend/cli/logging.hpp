#pragma once
#include <memory>

#include <spdlog/formatter.h>

namespace invites::cli {

// Logs go to stderr (stdout is kept for what a caller may parse, such as the
// URL that `serve` listens on), with ISO timestamps. SPDLOG_LEVEL=debug etc.
// in the environment changes the level.
void setup_logging();

// The server log's line format: time, level, then the message with every
// control character escaped (security/log_text.hpp). Whatever a log call
// passes, user-supplied values included, stays on its one line.
std::unique_ptr<spdlog::formatter> log_formatter();

}  // namespace invites::cli
