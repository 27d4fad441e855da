#pragma once
// A fake Fetcher for the app's actions: keeps every request; the test answers
// them one by one, like the main loop would. Used by every action test.
#include "app/actions.hpp"
#include "app/state.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <deque>
#include <string>
#include <utility>
#include <vector>

namespace invites::app::testing {

using nlohmann::json;

class FakeServer {
 public:
  struct Pending {
    app::FetchRequest request;
    app::FetchCallback done;
  };

  app::Fetcher fetcher() {
    return [this](app::FetchRequest request, app::FetchCallback done) {
      log.push_back(request);
      pending.push_back({std::move(request), std::move(done)});
    };
  }

  bool has_pending(const std::string& method, const std::string& url) const {
    for (const Pending& p : pending)
      if (p.request.method == method && p.request.url == url) return true;
    return false;
  }

  std::size_t count_pending(const std::string& method, const std::string& url) const {
    std::size_t n = 0;
    for (const Pending& p : pending) n += p.request.method == method && p.request.url == url;
    return n;
  }

  // Answers the oldest pending request for method + url; returns that request.
  app::FetchRequest respond(const std::string& method, const std::string& url, int status, const std::string& body) {
    for (auto it = pending.begin(); it != pending.end(); ++it) {
      if (it->request.method != method || it->request.url != url) continue;
      Pending p = std::move(*it);
      pending.erase(it);
      app::FetchResult result;
      result.status = status;
      result.body = body;
      if (status == 0)
        result.error = "network error (Failed to fetch)";
      else if (status < 200 || status > 299)
        result.error = "HTTP " + std::to_string(status);
      p.done(std::move(result));
      return p.request;
    }
    FAIL("no pending request " << method << " " << url);
    return {};
  }

  app::FetchRequest respond(const std::string& method, const std::string& url, int status, const json& body) {
    return respond(method, url, status, body.dump());
  }
  // A literal body is text, not JSON.
  app::FetchRequest respond(const std::string& method, const std::string& url, int status, const char* body) {
    return respond(method, url, status, std::string(body));
  }

  // Every pending request fails as if the server were gone.
  void vanish() {
    while (!pending.empty()) {
      Pending p = std::move(pending.front());
      pending.pop_front();
      app::FetchResult result;
      result.error = "network error (Failed to fetch)";
      p.done(std::move(result));
    }
  }

  std::deque<Pending> pending;
  std::vector<app::FetchRequest> log;
};

inline json error_json(const std::string& code, const std::string& message) {
  return {{"error", {{"code", code}, {"message", message}}}};
}

// Signed in (390 + 120 unless told), lookups with one template, a Load done.
struct SignedInFixture {
  FakeServer server;
  State state;
  Actions actions{state, server.fetcher(), [](const std::string&) {}};
  std::vector<std::string> opened_html;

  SignedInFixture() {
    actions.sending().set_html_opener([this](const std::string& html) { opened_html.push_back(html); });
    actions.sending().set_key_source([this] { return "key-" + std::to_string(++keys); });
  }

  void sign_in(std::vector<int> permissions = {390, 120}) {
    actions.start();
    server.respond("GET", "/healthz", 200, std::string("ok"));
    server.respond(
        "GET", "/api/me", 200,
        json{{"user", {{"id", 7}, {"username", "alice"}}}, {"permissions", permissions}, {"csrf_token", "tok-123"}});
    if (server.has_pending("GET", "/api/lookups"))
      server.respond(
          "GET", "/api/lookups", 200,
          json{{"divisions", {{{"id", 1}, {"name", "North"}, {"default_from_email", "north@hauler.example"}}}},
               {"account_classes", json::array()},
               {"bill_groups", json::array()},
               {"account_sources", json::array()},
               {"site_sources", json::array()},
               {"templates", {{{"id", 11}, {"name", "Standard invitation"}}}}});
  }

  void load(std::uint64_t new_users = 120, std::uint64_t pending_invites = 30) {
    actions.set_selected(ListKind::division, 1, true);  // Email From: north@hauler.example
    actions.load_preview();
    server.respond("POST", "/api/previews", 200,
                   json{{"preview_id", "p-1"},
                        {"counts",
                         {{"new_users", new_users},
                          {"pending_invites", pending_invites},
                          {"skipped_invalid_email", 4},
                          {"excluded_existing", 9},
                          {"skipped_suppressed", 2}}},
                        {"digest", "xxh128:00"},
                        {"generated_at", "2026-11-26T12:30:00Z"}});
  }

  int keys = 0;
};

inline json job_json(std::int64_t id, const std::string& status, std::uint64_t sent, std::uint64_t failed,
                     std::uint64_t pending, std::uint64_t total = 150) {
  json eta = pending > 0 ? json(pending / 10) : json(nullptr);
  return {{"id", id},
          {"status", status},
          {"pause_reason", nullptr},
          {"created_at", "2026-11-26T12:31:00Z"},
          {"created_by", "alice"},
          {"from_email", "north@hauler.example"},
          {"template_id", 11},
          {"template_name", "Standard invitation"},
          {"groups", {"new_users", "pending_invites"}},
          {"total", total},
          {"sent", sent},
          {"failed", failed},
          {"pending", pending},
          {"rate_per_second", 10.5},
          {"eta_seconds", eta},
          {"started_at", "2026-11-26T12:31:01Z"},
          {"finished_at", nullptr}};
}

}  // namespace invites::app::testing
