#pragma once

namespace invites::cli {

// Logs go to stderr (stdout is kept for what a caller may parse, such as the
// URL that `serve` listens on), with ISO timestamps. SPDLOG_LEVEL=debug etc.
// in the environment changes the level.
void setup_logging();

}  // namespace invites::cli
