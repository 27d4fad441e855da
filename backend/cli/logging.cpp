#include "cli/logging.hpp"

#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace invites::cli {

void setup_logging() {
  auto logger = spdlog::stderr_color_mt("invites-server");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  spdlog::set_default_logger(std::move(logger));
  spdlog::cfg::load_env_levels();
}

}  // namespace invites::cli
