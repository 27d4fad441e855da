#include "cli/serve_command.hpp"

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

int run_serve(const ServeOptions& options) {
  http::ServerConfig config{
      .listen = http::parse_listen_address(options.listen),
      .web_root = options.web_root.empty() ? std::nullopt : std::optional<std::filesystem::path>(options.web_root),
      .database = db::parse_database_url(options.database_url),
  };
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
  return {command, [options] { return run_serve(*options); }};
}

}  // namespace invites::cli
