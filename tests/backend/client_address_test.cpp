// The server's warning about an X-Forwarded-For it does not believe (issue 12
// item 6): behind a reverse proxy missing from --trusted-proxy, every client is
// the proxy's address to the login throttle, and the operator is told so, once.
#include <memory>
#include <sstream>

#include <catch2/catch.hpp>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "http/client_address.hpp"

using Catch::Matchers::Contains;
using invites::http::UntrustedForwardingWarning;

namespace {

// spdlog's default logger writes to `out` while this lives.
struct CapturedLog {
  std::ostringstream out;
  std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
  CapturedLog() {
    auto logger = std::make_shared<spdlog::logger>("captured", std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
    logger->set_pattern("%l %v");
    spdlog::set_default_logger(std::move(logger));
  }
  ~CapturedLog() { spdlog::set_default_logger(previous); }
};

}  // namespace

TEST_CASE("X-Forwarded-For from an address that is not a trusted proxy is logged once, naming the option") {
  CapturedLog log;
  UntrustedForwardingWarning warning({"10.0.0.21"});
  CHECK_FALSE(warning.check("10.0.0.21", true));   // the trusted proxy
  CHECK_FALSE(warning.check("10.0.0.99", false));  // a direct client without the header
  CHECK(log.out.str().empty());

  CHECK(warning.check("10.0.0.99", true));
  const std::string logged = log.out.str();
  CHECK(logged.rfind("warning X-Forwarded-For from 10.0.0.99 is ignored", 0) == 0);
  CHECK_THAT(logged, Contains("--trusted-proxy (INVITES_TRUSTED_PROXY)"));
  CHECK_THAT(logged, Contains("login throttle"));

  // Once: another client, or the same one again, adds nothing.
  CHECK_FALSE(warning.check("10.0.0.98", true));
  CHECK_FALSE(warning.check("10.0.0.99", true));
  CHECK(log.out.str() == logged);
}

TEST_CASE("without --trusted-proxy, any X-Forwarded-For is warned about (a proxy left unconfigured)") {
  CapturedLog log;
  UntrustedForwardingWarning warning({});
  CHECK(warning.check("127.0.0.1", true));
  CHECK_THAT(log.out.str(), Contains("X-Forwarded-For from 127.0.0.1 is ignored"));
}
