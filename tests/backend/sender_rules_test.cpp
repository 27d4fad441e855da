// The sender's rules that need no database: the From address syntax, the
// --allowed-senders list, the messages-per-second limit and invitation links.
#include <chrono>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "invites/error.hpp"
#include "service/invitation.hpp"
#include "service/rate_limiter.hpp"
#include "service/sender_policy.hpp"

using namespace invites;

TEST_CASE("a From address is one valid address without line breaks") {
  CHECK(service::SenderPolicy::check_syntax("North@Haul.Example.com", "from_email") == "north@haul.example.com");
  for (const char* bad : {"", "north@haul.example.com\r\nBcc: x@y.example", "north@haul.example.com\n", "no-at-sign",
                          "two@@example.com", " north@haul.example.com"}) {
    INFO(bad);
    CHECK_THROWS_AS(service::SenderPolicy::check_syntax(bad, "from_email"), ValidationError);
  }
  try {
    service::SenderPolicy::check_syntax("a@b.example\r\nX: y", "from_email");
    FAIL("a From address with a line break was accepted");
  } catch (const ValidationError& e) {
    CHECK(e.field() == "from_email");
    CHECK(std::string(e.what()).find("line break") != std::string::npos);
  }
}

TEST_CASE("the allowed senders list takes addresses and domains and refuses anything else") {
  CHECK_NOTHROW(service::SenderPolicy({"billing@haul.example.com", "@ok.example", "other.example"}));
  CHECK_THROWS_AS(service::SenderPolicy({"not an address"}), std::invalid_argument);
  CHECK_THROWS_AS(service::SenderPolicy({"@"}), std::invalid_argument);
  CHECK_THROWS_AS(service::SenderPolicy({"x@bad_domain"}), std::invalid_argument);
}

TEST_CASE("the rate limiter spaces message starts evenly") {
  service::RateLimiter limiter(100);  // one every 10 ms
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 21; ++i) limiter.acquire();
  // 21 starts need at least 20 intervals.
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(200));
  service::RateLimiter unlimited(0);
  for (int i = 0; i < 1000; ++i) unlimited.acquire();  // returns at once: no limit
}

TEST_CASE("invitation links and expiry dates") {
  CHECK(service::invite_url("https://portal.example.com/", "abc") ==
        "https://portal.example.com/portal/accept?token=abc");
  CHECK(service::invite_url("http://127.0.0.1:8080", "abc") == "http://127.0.0.1:8080/portal/accept?token=abc");
  CHECK(service::invite_expiry_date(0, 14) == "1970-01-15");
  const auto values = service::merge_values({"a@b.example", "Ann", "Lee", "A1", "Acme", "North"}, "from@x.example",
                                            "https://p.example/portal/accept?token=t", "2026-12-10");
  CHECK(values.contact_email == "a@b.example");
  CHECK(values.division_name == "North");
  CHECK(values.sender_email == "from@x.example");
}
