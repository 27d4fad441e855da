#include "cli/serve_command.hpp"

#include <malloc.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>

#include <spdlog/spdlog.h>

#include "cli/database_option.hpp"
#include "cli/shutdown_signals.hpp"
#include "db/connection.hpp"
#include "db/migrations.hpp"
#include "http/listen_address.hpp"
#include "http/server.hpp"

namespace invites::cli {
namespace {

struct ServeOptions {
  std::string database_url;
  std::string listen = "127.0.0.1:8080";
  std::string web_root;
  std::size_t db_pool_size = 8;
  std::string tls_cert;
  std::string tls_key;
  int session_idle_minutes = 30;
  int session_max_hours = 12;
  int snapshot_refresh_seconds = 300;
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

// SPEC §8 (≤ 512 MB at 1M accounts): every allocation of 1 MB or more (the
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

int run_serve(const ServeOptions& options) {
  fix_malloc_mmap_threshold();
  http::ServerConfig config{
      .listen = http::parse_listen_address(options.listen),
      .web_root = options.web_root.empty() ? std::nullopt : std::optional<std::filesystem::path>(options.web_root),
      .database = db::parse_database_url(options.database_url),
  };
  config.db_pool_size = options.db_pool_size;
  config.snapshot_refresh = std::chrono::seconds(options.snapshot_refresh_seconds);
  if (!options.tls_cert.empty()) config.tls = http::ServerConfig::Tls{options.tls_cert, options.tls_key};
  config.sessions.idle_timeout = std::chrono::minutes(options.session_idle_minutes);
  config.sessions.absolute_timeout = std::chrono::hours(options.session_max_hours);
  if (!config.web_root) spdlog::warn("no --web-root given: only the API is served");
  report_database_state(config.database);

  http::Server server(std::move(config));
  server.bind();
  const ShutdownSignals signals([&server](int) { server.stop(); });
  spdlog::info("listening on {}", server.url());
  // On stdout as well, for scripts and tests that wait for the server.
  std::cout << "invites-server listening on " << server.url() << std::endl;
  server.run();
  spdlog::info("stopped");
  return 0;
}

}  // namespace

Command add_serve_command(CLI::App& app) {
  auto options = std::make_shared<ServeOptions>();
  auto* command = app.add_subcommand("serve", "Run the HTTP server (API and web app)");
  add_database_option(*command, options->database_url);
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
  command->add_option("--session-idle-minutes", options->session_idle_minutes,
                      "staff sessions end after this long without a request")
      ->type_name("MINUTES")
      ->envname("INVITES_SESSION_IDLE_MINUTES")
      ->capture_default_str()
      ->check(CLI::Range(1, 24 * 60));
  command->add_option("--session-max-hours", options->session_max_hours,
                      "staff sessions end this long after login, however active")
      ->type_name("HOURS")
      ->envname("INVITES_SESSION_MAX_HOURS")
      ->capture_default_str()
      ->check(CLI::Range(1, 24 * 30));
  command->add_option("--snapshot-refresh-seconds", options->snapshot_refresh_seconds,
                      "rebuild the in-memory Load index this often (0: only on POST /api/snapshot/refresh)")
      ->type_name("SECONDS")
      ->envname("INVITES_SNAPSHOT_REFRESH_SECONDS")
      ->capture_default_str()
      ->check(CLI::Range(0, 7 * 24 * 3600));
  return {command, [options] { return run_serve(*options); }};
}

}  // namespace invites::cli
