#include "cli/serve_command.hpp"

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "cli/database_option.hpp"
#include "cli/serve_services.hpp"
#include "cli/setting_option.hpp"
#include "cli/shutdown_signals.hpp"
#include "db/connection.hpp"
#include "db/migrations.hpp"
#include "http/listen_address.hpp"
#include "http/server.hpp"

namespace invites::cli {
namespace {

// Each option's default is its setting's own (ServiceConfig, ServerConfig
// and what they hold), so every default is written once, beside the setting.
const ServiceConfig defaults{};
const http::ServerConfig server_defaults{};

template <typename Unit, typename Duration>
int whole(Duration duration) {
  return static_cast<int>(std::chrono::duration_cast<Unit>(duration).count());
}

struct ServeOptions {
  std::string database_url;
  std::string database_read_url;
  std::string listen = "127.0.0.1:8080";
  std::string web_root;
  std::size_t db_pool_size = defaults.db_pool_size;
  std::string tls_cert;
  std::string tls_key;
  int session_idle_minutes = whole<std::chrono::minutes>(server_defaults.sessions.idle_timeout);
  int session_max_hours = whole<std::chrono::hours>(server_defaults.sessions.absolute_timeout);
  int shutdown_grace_seconds = whole<std::chrono::seconds>(server_defaults.shutdown_grace);
  int snapshot_refresh_seconds = whole<std::chrono::seconds>(defaults.snapshot_refresh);
  std::size_t http_threads = server_defaults.connections.workers;
  std::size_t http_queue = server_defaults.connections.max_waiting;
  int request_timeout_seconds = whole<std::chrono::seconds>(server_defaults.connections.receive_timeout);
  std::string metrics_listen;
  std::string metrics_token;
  std::string base_url;
  std::string smtp_url;
  std::string smtp_user;
  std::string smtp_password;
  bool smtp_starttls = false;
  std::string smtp_ca_file;
  std::string maildir;  // empty: defaults.maildir
  std::size_t smtp_concurrency = defaults.sender.concurrency;
  double rate = defaults.sender.rate_per_second;
  std::vector<std::string> allowed_senders;
  int invite_ttl_days = defaults.invite_ttl_days;
  int reinvite_after_minutes = whole<std::chrono::minutes>(defaults.sender.reinvite_after);
  std::vector<std::string> trusted_proxies;
  int retry_base_seconds = whole<std::chrono::seconds>(defaults.sender.retry_base);
  unsigned max_attempts = defaults.sender.max_attempts;
  unsigned pause_after_failures = defaults.sender.pause_after_failures;
  // Delivery outcomes.
  std::string bounce_domain;
  std::string bounce_prefix = defaults.bounces.prefix;
  unsigned soft_bounce_limit = defaults.bounces.rules.soft_bounce_limit;
  unsigned soft_bounce_days = defaults.bounces.rules.soft_bounce_days;
  std::string bounce_imap;
  std::string bounce_imap_user;
  std::string bounce_imap_password;
  std::string bounce_imap_ca_file;
  bool bounce_imap_starttls = false;
  bool bounce_imap_delete = false;
  int bounce_poll_seconds = whole<std::chrono::seconds>(service::BouncePollerOptions{}.interval);
  bool ses_webhook = false;
  std::vector<std::string> ses_cert_hosts = security::SnsTrust{}.allowed_hosts;
  std::string ses_ca_file;
  std::vector<std::string> ses_topic_arns;
  std::string sendgrid_webhook_key;
  std::string postmark_webhook_user;
  std::string postmark_webhook_password;
  int webhook_max_age_seconds = whole<std::chrono::seconds>(defaults.bounces.webhooks.max_age);
  int sender_lease_seconds = whole<std::chrono::seconds>(defaults.sender.lease_ttl);
  std::uint32_t test_send_limit = defaults.test_sends.limit;
  int test_send_window_minutes = whole<std::chrono::minutes>(defaults.test_sends.window);
};

// The server starts without its database (GET /healthz reports it), but an
// unreachable database or an old schema is worth saying at start-up.
void report_database_state(const db::DatabaseUrl& url) {
  try {
    const auto connection = db::connect(url, {.connect_timeout = std::chrono::seconds(5)});
    const int version = db::schema_version(*connection);
    const int newest = db::embedded_migrations().back().version;
    if (version < newest) {
      spdlog::warn("database schema is at version {}, this server expects {}: run `invites-server migrate`", version,
                   newest);
    } else if (version > newest) {
      spdlog::warn("database schema is at version {}, newer than this server knows ({})", version, newest);
    }
  } catch (const std::exception& e) {
    spdlog::warn("database not reachable at start-up: {}", e.what());
  }
}

ServiceConfig::Bounces bounce_config(const ServeOptions& options) {
  ServiceConfig::Bounces bounces;
  bounces.domain = options.bounce_domain;
  bounces.prefix = options.bounce_prefix;
  bounces.rules = {options.soft_bounce_limit, options.soft_bounce_days};
  if (!options.bounce_imap.empty()) {
    service::BouncePollerOptions mailbox;
    mailbox.imap.url = options.bounce_imap;
    mailbox.imap.username = options.bounce_imap_user;
    mailbox.imap.password = options.bounce_imap_password;
    // As for SMTP: a password goes over TLS only (or to loopback, where a test mailbox lives).
    mailbox.imap.require_starttls = options.bounce_imap_starttls;
    if (!options.bounce_imap_ca_file.empty()) mailbox.imap.ca_file = options.bounce_imap_ca_file;
    mailbox.delete_processed = options.bounce_imap_delete;
    mailbox.interval = std::chrono::seconds(options.bounce_poll_seconds);
    bounces.mailbox = mailbox;
    if (options.bounce_domain.empty())
      spdlog::warn("--bounce-imap without --bounce-domain: reports in the mailbox cannot name their messages");
  }
  if (options.ses_webhook) {
    security::SnsTrust trust;
    trust.allowed_hosts = options.ses_cert_hosts;
    if (!options.ses_ca_file.empty()) trust.ca_file = options.ses_ca_file;
    trust.topic_arns = options.ses_topic_arns;
    bounces.webhooks.ses = trust;
  }
  if (!options.sendgrid_webhook_key.empty()) bounces.webhooks.sendgrid_public_key = options.sendgrid_webhook_key;
  if (!options.postmark_webhook_user.empty())
    bounces.webhooks.postmark =
        http::WebhookConfig::BasicAuth{options.postmark_webhook_user, options.postmark_webhook_password};
  bounces.webhooks.max_age = std::chrono::seconds(options.webhook_max_age_seconds);
  return bounces;
}

ServiceConfig service_config(const ServeOptions& options) {
  ServiceConfig config{.database = db::parse_database_url(options.database_url)};
  if (!options.database_read_url.empty()) config.database_read = db::parse_database_url(options.database_read_url);
  config.db_pool_size = options.db_pool_size;
  config.snapshot_refresh = std::chrono::seconds(options.snapshot_refresh_seconds);
  if (!options.smtp_url.empty()) {
    mail::SmtpOptions smtp{.url = options.smtp_url};
    if (!options.smtp_user.empty()) {
      smtp.username = options.smtp_user;
      smtp.password = options.smtp_password;
    }
    // A password must never cross the network in clear: with credentials,
    // STARTTLS is required (libcurl would otherwise send AUTH in plain text
    // to a server that does not offer it, or whose offer was stripped).
    smtp.require_starttls = options.smtp_starttls || !options.smtp_user.empty();
    if (!options.smtp_ca_file.empty()) smtp.ca_file = options.smtp_ca_file;
    config.smtp = smtp;
  } else if (!options.maildir.empty()) {
    config.maildir = options.maildir;
  } else {
    spdlog::warn("neither --smtp nor --maildir given: invitations go to the Maildir {}",
                 std::filesystem::absolute(config.maildir).string());
  }
  config.sender.concurrency = options.smtp_concurrency;
  config.sender.rate_per_second = options.rate;
  config.sender.base_url = options.base_url;
  config.sender.retry_base = std::chrono::seconds(options.retry_base_seconds);
  config.sender.max_attempts = options.max_attempts;
  config.sender.pause_after_failures = options.pause_after_failures;
  config.sender.reinvite_after = std::chrono::minutes(options.reinvite_after_minutes);
  config.sender.lease_ttl = std::chrono::seconds(options.sender_lease_seconds);
  config.allowed_senders = options.allowed_senders;
  config.invite_ttl_days = options.invite_ttl_days;
  config.test_sends = {.limit = options.test_send_limit,
                       .window = std::chrono::minutes(options.test_send_window_minutes)};
  config.bounces = bounce_config(options);
  return config;
}

http::ServerConfig server_config(const ServeOptions& options) {
  http::ServerConfig config{
      .listen = http::parse_listen_address(options.listen),
      .web_root = options.web_root.empty() ? std::nullopt : std::optional<std::filesystem::path>(options.web_root),
  };
  if (!options.tls_cert.empty()) config.tls = http::TlsFiles{options.tls_cert, options.tls_key};
  config.login_throttle.trusted_proxies = options.trusted_proxies;
  if (!options.metrics_listen.empty()) config.metrics_listen = http::parse_listen_address(options.metrics_listen);
  config.metrics_token = options.metrics_token;
  if (!config.metrics_listen && config.metrics_token.empty()) {
    spdlog::info("GET /metrics is off: give --metrics-listen or --metrics-token to serve it");
  }
  config.connections.workers = options.http_threads;
  config.connections.max_waiting = options.http_queue;
  config.connections.receive_timeout = std::chrono::seconds(options.request_timeout_seconds);
  config.sessions.idle_timeout = std::chrono::minutes(options.session_idle_minutes);
  config.sessions.absolute_timeout = std::chrono::hours(options.session_max_hours);
  config.shutdown_grace = std::chrono::seconds(options.shutdown_grace_seconds);
  if (!config.web_root) spdlog::warn("no --web-root given: only the API is served");
  return config;
}

int run_serve(const ServeOptions& options) {
  auto config = service_config(options);
  auto http_config = server_config(options);
  report_database_state(config.database);

  ServeServices services(std::move(config));
  http::Server server(std::move(http_config), services.for_http());
  server.bind();
  const ShutdownSignals signals([&server](int) { server.stop(); });
  spdlog::info("listening on {}", server.url());
  // On stdout as well, for scripts and tests that wait for the server.
  std::cout << "invites-server listening on " << server.url() << std::endl;
  if (!server.metrics_url().empty()) {
    spdlog::info("metrics on {}", server.metrics_url());
    std::cout << "invites-server metrics on " << server.metrics_url() << std::endl;
  }
  services.start(server.invite_base_url());
  server.run();
  services.stop();
  spdlog::info("stopped");
  return 0;
}

// What one client can hold (SECURITY.md): workers, the wait for one, and the
// time a request's head and body may take to arrive.
void add_connection_options(CLI::App& command, ServeOptions& options) {
  add_bounded_setting(command, "--http-threads", options.http_threads, "connections served at once", "N", 1, 4096);
  add_bounded_setting(command, "--http-queue", options.http_queue,
                      "accepted connections that may wait for a free worker; more are answered 503", "N", 0, 100000);
  add_bounded_setting(command, "--request-timeout-seconds", options.request_timeout_seconds,
                      "a request's head and body must arrive within this time from its first byte (else 408)",
                      "SECONDS", 1, 3600);
}

void add_sending_options(CLI::App& command, ServeOptions& options) {
  add_setting(command, "--base-url", options.base_url, "public URL of this server, for the links in invitations", "URL")
      ->check([](const std::string& url) -> std::string {
        return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0 ? ""
                                                                             : "must start with http:// or https://";
      });
  auto* smtp = add_setting(command, "--smtp", options.smtp_url, "send through this SMTP server",
                           "smtp://HOST:PORT|smtps://HOST:PORT")
                   ->check([](const std::string& url) -> std::string {
                     return url.rfind("smtp://", 0) == 0 || url.rfind("smtps://", 0) == 0
                                ? ""
                                : "must start with smtp:// or smtps://";
                   });
  auto* maildir = add_setting(command, "--maildir", options.maildir,
                              "deliver into this Maildir instead of SMTP (the default: ./maildir)", "DIR");
  smtp->excludes(maildir);
  maildir->excludes(smtp);
  add_setting(command, "--smtp-user", options.smtp_user, "SMTP AUTH user name (implies --smtp-starttls on smtp://)",
              "USER")
      ->needs(smtp);
  add_setting(command, "--smtp-password", options.smtp_password, "SMTP AUTH password (prefer the environment variable)",
              "PASSWORD");
  add_setting_flag(command, "--smtp-starttls", options.smtp_starttls, "require STARTTLS on smtp:// connections");
  add_file_setting(command, "--smtp-ca-file", options.smtp_ca_file,
                   "verify the SMTP server's TLS certificate against these PEM CA certificates "
                   "instead of the system's")
      ->needs(smtp);
  add_bounded_setting(command, "--smtp-concurrency", options.smtp_concurrency, "SMTP connections (sending workers)",
                      "N", 1, 64);
  add_bounded_setting(command, "--rate", options.rate, "at most this many messages per second (0: no limit)",
                      "PER_SECOND", 0.0, 100000.0);
  add_setting(command, "--allowed-senders", options.allowed_senders,
              "From addresses allowed besides the divisions' ones: addresses or domains", "ADDRESS|DOMAIN,...")
      ->delimiter(',');
  add_bounded_setting(command, "--invite-ttl-days", options.invite_ttl_days,
                      "invitation links expire after this many days", "DAYS", 1, 365);
  add_setting(command, "--trusted-proxy", options.trusted_proxies,
              "reverse proxies (addresses as this server sees them) whose X-Forwarded-For names the client "
              "for login throttling; nobody else's header is believed",
              "ADDRESS,...")
      ->delimiter(',');
  add_bounded_setting(command, "--test-send-limit", options.test_send_limit,
                      "test sends each staff user may make per --test-send-window-minutes (0: no limit)", "N", 0,
                      100000);
  add_bounded_setting(command, "--test-send-window-minutes", options.test_send_window_minutes,
                      "the window of --test-send-limit, from a user's first test send in it", "MINUTES", 1, 24 * 60);
  add_bounded_setting(command, "--reinvite-after-minutes", options.reinvite_after_minutes,
                      "an address another job invited within this time is skipped, not mailed twice", "MINUTES", 0,
                      7 * 24 * 60);
  add_bounded_setting(command, "--retry-base-seconds", options.retry_base_seconds,
                      "first retry delay after a temporary failure (doubles per attempt)", "SECONDS", 1, 3600);
  add_bounded_setting(command, "--max-attempts", options.max_attempts, "attempts per recipient before it fails", "N", 1,
                      100);
  add_bounded_setting(command, "--pause-after-failures", options.pause_after_failures,
                      "pause a job after this many failures in a row", "N", 1, 100000);
  add_bounded_setting(command, "--sender-lease-seconds", options.sender_lease_seconds,
                      "a server that stops renewing its sending lease for this long (dead, hung, cut off) has its "
                      "recipients taken over by the other servers",
                      "SECONDS", 6, 3600);
}

void add_bounce_options(CLI::App& command, ServeOptions& options) {
  const auto group = "Delivery outcomes (bounces and complaints)";
  add_setting(command, "--bounce-domain", options.bounce_domain,
              "send every invitation from its own envelope sender PREFIX+TOKEN@DOMAIN (VERP), so bounces "
              "name their message",
              "DOMAIN")
      ->group(group);
  add_setting(command, "--bounce-prefix", options.bounce_prefix, "local part before the + of the envelope senders",
              "PREFIX")
      ->capture_default_str()
      ->group(group);
  add_bounded_setting(command, "--soft-bounce-limit", options.soft_bounce_limit,
                      "soft bounces within --soft-bounce-days that suppress an address", "N", 1, 1000)
      ->group(group);
  add_bounded_setting(command, "--soft-bounce-days", options.soft_bounce_days, "the window of --soft-bounce-limit",
                      "DAYS", 1, 3650)
      ->group(group);
  auto* imap =
      add_setting(command, "--bounce-imap", options.bounce_imap, "poll this mailbox for bounces and complaint reports",
                  "imap://HOST:PORT/MAILBOX|imaps://HOST:PORT/MAILBOX")
          ->check([](const std::string& url) -> std::string {
            return url.rfind("imap://", 0) == 0 || url.rfind("imaps://", 0) == 0
                       ? ""
                       : "must start with imap:// or imaps://";
          })
          ->group(group);
  add_setting(command, "--bounce-imap-user", options.bounce_imap_user, "user name of the bounce mailbox", "USER")
      ->needs(imap)
      ->group(group);
  add_setting(command, "--bounce-imap-password", options.bounce_imap_password,
              "password of the bounce mailbox (prefer the environment variable)", "PASSWORD")
      ->group(group);
  add_file_setting(command, "--bounce-imap-ca-file", options.bounce_imap_ca_file,
                   "verify the IMAP server's certificate against these PEM CA certificates")
      ->needs(imap)
      ->group(group);
  add_setting_flag(command, "--bounce-imap-starttls", options.bounce_imap_starttls, "require STARTTLS on imap://")
      ->group(group);
  add_setting_flag(command, "--bounce-imap-delete", options.bounce_imap_delete,
                   "delete processed messages (default: flag them \\Seen and $InvitesProcessed)")
      ->group(group);
  add_bounded_setting(command, "--bounce-poll-seconds", options.bounce_poll_seconds,
                      "how often to read the bounce mailbox", "SECONDS", 1, 24 * 3600)
      ->group(group);
  add_setting_flag(command, "--ses-webhook", options.ses_webhook,
                   "accept Amazon SES notifications (SNS) at /webhooks/ses")
      ->group(group);
  add_setting(command, "--ses-cert-hosts", options.ses_cert_hosts,
              "hosts SNS signing certificates may come from (* = one label)", "HOST,...")
      ->delimiter(',')
      ->capture_default_str()
      ->group(group);
  add_file_setting(command, "--ses-ca-file", options.ses_ca_file,
                   "PEM CA certificates SNS signing certificates (and their https hosts) must chain to "
                   "(default: the system's)")
      ->group(group);
  add_setting(command, "--ses-topic-arns", options.ses_topic_arns, "accept only these SNS topics (default: any)",
              "ARN,...")
      ->delimiter(',')
      ->group(group);
  add_setting(command, "--sendgrid-webhook-key", options.sendgrid_webhook_key,
              "accept SendGrid's signed event webhook at /webhooks/sendgrid, verified with this key (base64)", "KEY")
      ->group(group);
  auto* postmark_user = add_setting(command, "--postmark-webhook-user", options.postmark_webhook_user,
                                    "accept Postmark's bounce webhook at /webhooks/postmark with this basic "
                                    "authentication user",
                                    "USER")
                            ->group(group);
  add_setting(command, "--postmark-webhook-password", options.postmark_webhook_password,
              "its password (prefer the environment variable)", "PASSWORD")
      ->needs(postmark_user)
      ->group(group);
  add_bounded_setting(command, "--webhook-max-age-seconds", options.webhook_max_age_seconds,
                      "refuse signed webhook requests older than this (replays)", "SECONDS", 10, 7 * 24 * 3600)
      ->group(group);
}

}  // namespace

Command add_serve_command(CLI::App& app) {
  const auto [command, options] =
      add_database_command<ServeOptions>(app, "serve", "Run the HTTP server (API and web app)");
  add_database_option(*command, options->database_read_url, "--db-read",
                      "build the Load index from this database instead of --db (a replica; see deploy/README.md)")
      ->envname("INVITES_DB_READ_URL");
  const CLI::Validator listen_address =
      parse_check<std::invalid_argument>([](const std::string& text) { http::parse_listen_address(text); });
  add_setting(*command, "--listen", options->listen, "address and port to listen on (port 0: any free port)",
              "HOST:PORT")
      ->capture_default_str()
      ->check(listen_address);
  add_setting(*command, "--web-root", options->web_root, "directory of the web app bundle (index.html, .js, .wasm)",
              "DIR")
      ->check(CLI::ExistingDirectory.description(""));
  add_bounded_setting(*command, "--db-pool-size", options->db_pool_size, "most database connections open at once", "N",
                      1, 1000);
  auto* tls_cert =
      add_file_setting(*command, "--tls-cert", options->tls_cert, "serve HTTPS with this PEM certificate (chain)");
  auto* tls_key = add_file_setting(*command, "--tls-key", options->tls_key, "the PEM private key of --tls-cert");
  tls_cert->needs(tls_key);
  tls_key->needs(tls_cert);
  add_bounded_setting(*command, "--session-idle-minutes", options->session_idle_minutes,
                      "staff sessions end after this long without a request", "MINUTES", 1, 24 * 60);
  add_bounded_setting(*command, "--session-max-hours", options->session_max_hours,
                      "staff sessions end this long after login, however active", "HOURS", 1, 24 * 30);
  add_bounded_setting(*command, "--shutdown-grace-seconds", options->shutdown_grace_seconds,
                      "on SIGTERM, answer 503 on /healthz/ready for this long while still serving, so that a load "
                      "balancer drains this server before it stops",
                      "SECONDS", 0, 600);
  add_bounded_setting(*command, "--snapshot-refresh-seconds", options->snapshot_refresh_seconds,
                      "rebuild the in-memory Load index this often (0: only on POST /api/snapshot/refresh)", "SECONDS",
                      0, 7 * 24 * 3600);
  add_connection_options(*command, *options);
  add_setting(*command, "--metrics-listen", options->metrics_listen,
              "serve GET /metrics (Prometheus) on this address of its own, e.g. a private interface", "HOST:PORT")
      ->check(listen_address);
  add_setting(*command, "--metrics-token", options->metrics_token,
              "GET /metrics requires \"Authorization: Bearer TOKEN\" (and is then also on --listen)", "TOKEN");
  add_sending_options(*command, *options);
  add_bounce_options(*command, *options);
  return {command, [options] { return run_serve(*options); }};
}

}  // namespace invites::cli
