// GET/POST /portal/accept (docs/design.md §5): the invitee's landing page. The token
// in the link is the credential; the page is plain server-rendered HTML (no
// app, no script) so it works in any mail client's browser.
#include <kainjow/mustache.hpp>
#include <spdlog/spdlog.h>

#include "http/send_routes.hpp"
#include "repository/portal_invites.hpp"
#include "security/password_rules.hpp"
#include "security/passwords.hpp"
#include "security/tokens.hpp"

namespace invites::http {
namespace {

// Mustache escapes every value, so nothing from the request reaches the page raw.
constexpr const char* page_template = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} · Customer portal</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f3f5f8;color:#1d2733;margin:0}
main{max-width:26rem;margin:3rem auto;background:#fff;border-radius:10px;padding:2rem;box-shadow:0 2px 12px #0002}
h1{font-size:1.35rem;margin:0 0 1rem}label{display:block;margin:1rem 0 .3rem;font-weight:600}
input{width:100%;box-sizing:border-box;padding:.6rem;border:1px solid #b8c2cc;border-radius:6px;font-size:1rem}
button{margin-top:1.4rem;width:100%;padding:.7rem;border:0;border-radius:6px;background:#1f6feb;color:#fff;font-size:1rem}
.error{background:#fdecea;color:#8a1c12;padding:.7rem;border-radius:6px}.ok{background:#e7f6ec;color:#135c2b;padding:.7rem;border-radius:6px}
</style></head><body><main>
<h1>{{title}}</h1>
{{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
{{#message}}<p class="{{message_class}}">{{message}}</p>{{/message}}
{{#form}}
<p>Set a password for <strong>{{email}}</strong> to open your customer portal account.</p>
<form method="post" action="/portal/accept">
<input type="hidden" name="token" value="{{token}}">
<label for="password">Password (at least 10 characters)</label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="10" maxlength="128" required autofocus>
<label for="password_confirm">Repeat the password</label>
<input id="password_confirm" name="password_confirm" type="password" autocomplete="new-password" required>
<button type="submit">Activate my account</button>
</form>
{{/form}}
</main></body></html>
)";

struct Page {
  int status = 200;
  std::string title;
  std::string error;
  std::string message;
  bool success = false;
  bool form = false;
  std::string email, token;
};

void send_page(httplib::Response& response, const Page& page) {
  kainjow::mustache::mustache view{std::string(page_template)};
  kainjow::mustache::data data;
  data.set("title", page.title);
  data.set("error", page.error.empty() ? kainjow::mustache::data(false) : kainjow::mustache::data(page.error));
  data.set("message", page.message.empty() ? kainjow::mustache::data(false) : kainjow::mustache::data(page.message));
  data.set("message_class", page.success ? "ok" : "error");
  data.set("form", page.form ? kainjow::mustache::data(true) : kainjow::mustache::data(false));
  data.set("email", page.email);
  data.set("token", page.token);
  response.status = page.status;
  // The token is in the URL: never leak it to another site or keep the page in a cache.
  response.set_header("Referrer-Policy", "no-referrer");
  response.set_header("Cache-Control", "no-store");
  response.set_header("Content-Security-Policy",
                      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_content(view.render(data), "text/html; charset=utf-8");
}

// The page for a link that cannot be used, or nullopt when it is open.
std::optional<Page> unusable(repository::InviteState state) {
  switch (state) {
    case repository::InviteState::open:
      return std::nullopt;
    case repository::InviteState::expired:
      return Page{410, "This invitation has expired", "",
                  "Invitation links are valid for a limited time. Please ask us to send you a new invitation."};
    case repository::InviteState::revoked:
      return Page{410, "This invitation was replaced", "",
                  "A newer invitation was sent to you. Please use the link in the most recent email."};
    case repository::InviteState::accepted:
      return Page{409, "This invitation was already used", "",
                  "Your portal account is already active. Sign in to the customer portal with your password."};
    case repository::InviteState::account_active:
      return Page{409, "Your portal account is already active", "",
                  "This invitation cannot change the password of an active account. Sign in to the customer portal "
                  "with the password you set."};
    case repository::InviteState::account_disabled:
      return Page{403, "This portal account is disabled", "",
                  "An invitation cannot re-open a disabled account. Please contact us if you need access."};
    case repository::InviteState::unknown:
      break;
  }
  return Page{404, "This invitation link is not valid", "",
              "Please open the link exactly as it appears in your invitation email, or ask us for a new one."};
}

Page malformed_link() { return *unusable(repository::InviteState::unknown); }

}  // namespace

void register_portal_accept_routes(httplib::Server& server, db::ConnectionPool& pool) {
  server.Get("/portal/accept", [&pool](const httplib::Request& request, httplib::Response& response) {
    const std::string token_text = request.get_param_value("token");
    const auto token = security::token_from_base64url(token_text);
    if (!token) return send_page(response, malformed_link());
    auto lease = pool.acquire();
    const auto invite = repository::find_invite(*lease, security::hash_token(*token));
    if (const auto page = unusable(invite.state)) return send_page(response, *page);
    send_page(response, Page{200, "Welcome to the customer portal", "", "", false, true, invite.email, token_text});
  });

  server.Post("/portal/accept", [&pool](const httplib::Request& request, httplib::Response& response) {
    const std::string token_text = request.get_param_value("token");
    const auto token = security::token_from_base64url(token_text);
    if (!token) return send_page(response, malformed_link());
    const std::string password = request.get_param_value("password");
    const std::string confirm = request.get_param_value("password_confirm");
    auto lease = pool.acquire();
    const auto hash = security::hash_token(*token);
    const auto invite = repository::find_invite(*lease, hash);
    if (const auto page = unusable(invite.state)) return send_page(response, *page);
    auto problem = security::portal_password_problem(password, invite.email);
    if (!problem && password != confirm) problem = "The two passwords differ. Please type the same password twice.";
    if (problem) {
      return send_page(
          response, Page{400, "Welcome to the customer portal", *problem, "", false, true, invite.email, token_text});
    }
    const auto accepted = repository::accept_invite(*lease, hash, security::hash_password(password));
    if (const auto page = unusable(accepted.state)) return send_page(response, *page);
    spdlog::info("portal invitation accepted for {}", accepted.email);
    send_page(response, Page{200, "Your portal account is active", "",
                             "Thank you. You can now sign in to the customer portal as " + accepted.email + ".", true});
  });
}

}  // namespace invites::http
