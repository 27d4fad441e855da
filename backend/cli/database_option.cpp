#include "cli/database_option.hpp"

namespace invites::cli {

CLI::Option* add_database_option(CLI::App& command, std::string& url_text) {
  const CLI::Validator database_url(
      [](std::string& text) -> std::string {
        try {
          db::parse_database_url(text);
          return {};
        } catch (const db::DatabaseUrlError& e) {
          return e.what();
        }
      },
      "");
  return command.add_option("--db", url_text, "database, mysql://USER[:PASS]@HOST[:PORT]/DB")
      ->type_name("URL")
      ->envname("INVITES_DB_URL")
      ->required()
      ->check(database_url);
}

}  // namespace invites::cli
