#include "cli/serve_command.hpp"

#include <malloc.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "cli/database_option.hpp"
#include "cli/serve_services.hpp"
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

// docs/design.md §8 (≤ 512 MB at 1M accounts): every allocation of 1 MB or more (the
// snapshot's columns, a build's temporaries, Load results, the encoded
// snapshot) gets its own mapping, returned to the system when freed. glibc's
// default raises this threshold up to 32 MB after such a free, after which
// those blocks come from the per-thread arenas and freed ones stay resident:
// measured 591 MB peak and 559 MB after a rebuild instead of 399 and 423 MB.
// GLIBC_TUNABLES=glibc.malloc.mmap_threshold=... still overrides it.
void fix_malloc_mmap_threshold() {
  if (const char* tunables = std::getenv("GLIBC_TUNABLES"); tunables && std::strstr(tunables, "mmap_threshold")) return;
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
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
  if (!config.web_root) spdlog::warn("no --web-root given: only the API is served");
  return config;
}

int run_serve(const ServeOptions& options) {
  fix_malloc_mmap_threshold();
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
  command.add_option("--http-threads", options.http_threads, "connections served at once")
      ->type_name("N")
      ->envname("INVITES_HTTP_THREADS")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  command
      .add_option("--http-queue", options.http_queue,
                  "accepted connections that may wait for a free worker; more are answered 503")
      ->type_name("N")
      ->envname("INVITES_HTTP_QUEUE")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));
  command
      .add_option("--request-timeout-seconds", options.request_timeout_seconds,
                  "a request's head and body must arrive within this time from its first byte (else 408)")
      ->type_name("SECONDS")
      ->envname("INVITES_REQUEST_TIMEOUT_SECONDS")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
}

void add_sending_options(CLI::App& command, ServeOptions& options) {
  command.add_option("--base-url", options.base_url, "public URL of this server, for the links in invitations")
      ->type_name("URL")
      ->envname("INVITES_BASE_URL")
      ->check([](const std::string& url) -> std::string {
        return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0 ? ""
                                                                             : "must start with http:// or https://";
      });
  auto* smtp = command.add_option("--smtp", options.smtp_url, "send through this SMTP server")
                   ->type_name("smtp://HOST:PORT|smtps://HOST:PORT")
                   ->envname("INVITES_SMTP")
                   ->check([](const std::string& url) -> std::string {
                     return url.rfind("smtp://", 0) == 0 || url.rfind("smtps://", 0) == 0
                                ? ""
                                : "must start with smtp:// or smtps://";
                   });
  auto* maildir = command
                      .add_option("--maildir", options.maildir,
                                  "deliver into this Maildir instead of SMTP (the default: ./maildir)")
                      ->type_name("DIR")
                      ->envname("INVITES_MAILDIR");
  smtp->excludes(maildir);
  maildir->excludes(smtp);
  command.add_option("--smtp-user", options.smtp_user, "SMTP AUTH user name (implies --smtp-starttls on smtp://)")
      ->type_name("USER")
      ->envname("INVITES_SMTP_USER")
      ->needs(smtp);
  command.add_option("--smtp-password", options.smtp_password, "SMTP AUTH password (prefer the environment variable)")
      ->type_name("PASSWORD")
      ->envname("INVITES_SMTP_PASSWORD");
  command.add_flag("--smtp-starttls", options.smtp_starttls, "require STARTTLS on smtp:// connections")
      ->envname("INVITES_SMTP_STARTTLS");
  command
      .add_option("--smtp-ca-file", options.smtp_ca_file,
                  "verify the SMTP server's TLS certificate against these PEM CA certificates "
                  "instead of the system's")
      ->type_name("FILE")
      ->envname("INVITES_SMTP_CA_FILE")
      ->check(CLI::ExistingFile.description(""))
      ->needs(smtp);
  command.add_option("--smtp-concurrency", options.smtp_concurrency, "SMTP connections (sending workers)")
      ->type_name("N")
      ->envname("INVITES_SMTP_CONCURRENCY")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  command.add_option("--rate", options.rate, "at most this many messages per second (0: no limit)")
      ->type_name("PER_SECOND")
      ->envname("INVITES_RATE")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 100000.0));
  command
      .add_option("--allowed-senders", options.allowed_senders,
                  "From addresses allowed besides the divisions' ones: addresses or domains")
      ->type_name("ADDRESS|DOMAIN,...")
      ->envname("INVITES_ALLOWED_SENDERS")
      ->delimiter(',');
  command.add_option("--invite-ttl-days", options.invite_ttl_days, "invitation links expire after this many days")
      ->type_name("DAYS")
      ->envname("INVITES_INVITE_TTL_DAYS")
      ->capture_default_str()
      ->check(CLI::Range(1, 365));
  command
      .add_option("--trusted-proxy", options.trusted_proxies,
                  "reverse proxies (addresses as this server sees them) whose X-Forwarded-For names the client "
                  "for login throttling; nobody else's header is believed")
      ->type_name("ADDRESS,...")
      ->envname("INVITES_TRUSTED_PROXY")
      ->delimiter(',');
  command
      .add_option("--test-send-limit", options.test_send_limit,
                  "test sends each staff user may make per --test-send-window-minutes (0: no limit)")
      ->type_name("N")
      ->envname("INVITES_TEST_SEND_LIMIT")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));
  command
      .add_option("--test-send-window-minutes", options.test_send_window_minutes,
                  "the window of --test-send-limit, from a user's first test send in it")
      ->type_name("MINUTES")
      ->envname("INVITES_TEST_SEND_WINDOW_MINUTES")
      ->capture_default_str()
      ->check(CLI::Range(1, 24 * 60));
  command
      .add_option("--reinvite-after-minutes", options.reinvite_after_minutes,
                  "an address another job invited within this time is skipped, not mailed twice")
      ->type_name("MINUTES")
      ->envname("INVITES_REINVITE_AFTER_MINUTES")
      ->capture_default_str()
      ->check(CLI::Range(0, 7 * 24 * 60));
  command
      .add_option("--retry-base-seconds", options.retry_base_seconds,
                  "first retry delay after a temporary failure (doubles per attempt)")
      ->type_name("SECONDS")
      ->envname("INVITES_RETRY_BASE_SECONDS")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  command.add_option("--max-attempts", options.max_attempts, "attempts per recipient before it fails")
      ->type_name("N")
      ->envname("INVITES_MAX_ATTEMPTS")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  command
      .add_option("--pause-after-failures", options.pause_after_failures,
                  "pause a job after this many failures in a row")
      ->type_name("N")
      ->envname("INVITES_PAUSE_AFTER_FAILURES")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  command
      .add_option("--sender-lease-seconds", options.sender_lease_seconds,
                  "a server that stops renewing its sending lease for this long (dead, hung, cut off) has its "
                  "recipients taken over by the other servers")
      ->type_name("SECONDS")
      ->envname("INVITES_SENDER_LEASE_SECONDS")
      ->capture_default_str()
      ->check(CLI::Range(6, 3600));
}

}  // namespace

Command add_serve_command(CLI::App& app) {
  auto options = std::make_shared<ServeOptions>();
  auto* command = app.add_subcommand("serve", "Run the HTTP server (API and web app)");
  add_database_option(*command, options->database_url);
  add_database_option(*command, options->database_read_url, "--db-read",
                      "build the Load index from this database instead of --db (a replica; see deploy/README.md)")
      ->envname("INVITES_DB_READ_URL");
  const CLI::Validator listen_address(
      [](std::string& text) -> std::string {
        try {
          http::parse_listen_address(text);
          return {};
        } catch (const std::invalid_argument& e) {
          return e.what();
        }
      },
      "");
  command->add_option("--listen", options->listen, "address and port to listen on (port 0: any free port)")
      ->type_name("HOST:PORT")
      ->envname("INVITES_LISTEN")
      ->capture_default_str()
      ->check(listen_address);
  command->add_option("--web-root", options->web_root, "directory of the web app bundle (index.html, .js, .wasm)")
      ->type_name("DIR")
      ->envname("INVITES_WEB_ROOT")
      ->check(CLI::ExistingDirectory.description(""));
  command->add_option("--db-pool-size", options->db_pool_size, "most database connections open at once")
      ->type_name("N")
      ->envname("INVITES_DB_POOL_SIZE")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  auto* tls_cert = command->add_option("--tls-cert", options->tls_cert, "serve HTTPS with this PEM certificate (chain)")
                       ->type_name("FILE")
                       ->envname("INVITES_TLS_CERT")
                       ->check(CLI::ExistingFile.description(""));
  auto* tls_key = command->add_option("--tls-key", options->tls_key, "the PEM private key of --tls-cert")
                      ->type_name("FILE")
                      ->envname("INVITES_TLS_KEY")
                      ->check(CLI::ExistingFile.description(""));
  tls_cert->needs(tls_key);
  tls_key->needs(tls_cert);
  command
      ->add_option("--session-idle-minutes", options->session_idle_minutes,
                   "staff sessions end after this long without a request")
      ->type_name("MINUTES")
      ->envname("INVITES_SESSION_IDLE_MINUTES")
      ->capture_default_str()
      ->check(CLI::Range(1, 24 * 60));
  command
      ->add_option("--session-max-hours", options->session_max_hours,
                   "staff sessions end this long after login, however active")
      ->type_name("HOURS")
      ->envname("INVITES_SESSION_MAX_HOURS")
      ->capture_default_str()
      ->check(CLI::Range(1, 24 * 30));
  command
      ->add_option("--snapshot-refresh-seconds", options->snapshot_refresh_seconds,
                   "rebuild the in-memory Load index this often (0: only on POST /api/snapshot/refresh)")
      ->type_name("SECONDS")
      ->envname("INVITES_SNAPSHOT_REFRESH_SECONDS")
      ->capture_default_str()
      ->check(CLI::Range(0, 7 * 24 * 3600));
  add_connection_options(*command, *options);
  command
      ->add_option("--metrics-listen", options->metrics_listen,
                   "serve GET /metrics (Prometheus) on this address of its own, e.g. a private interface")
      ->type_name("HOST:PORT")
      ->envname("INVITES_METRICS_LISTEN")
      ->check(listen_address);
  command
      ->add_option("--metrics-token", options->metrics_token,
                   "GET /metrics requires \"Authorization: Bearer TOKEN\" (and is then also on --listen)")
      ->type_name("TOKEN")
      ->envname("INVITES_METRICS_TOKEN");
  add_sending_options(*command, *options);
  return {command, [options] { return run_serve(*options); }};
}

}  // namespace invites::cli
