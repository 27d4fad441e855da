#include "cli/database_option.hpp"

#include "cli/setting_option.hpp"

namespace invites::cli {

CLI::Option* add_database_option(CLI::App& command, std::string& url_text) {
  return add_database_option(command, url_text, "--db", "database, mysql://USER[:PASS]@HOST[:PORT]/DB")
      ->envname("INVITES_DB_URL")
      ->required();
}

CLI::Option* add_database_option(CLI::App& command, std::string& url_text, const std::string& name,
                                 const std::string& description) {
  const CLI::Validator database_url =
      parse_check<db::DatabaseUrlError>([](const std::string& text) { db::parse_database_url(text); });
  return command.add_option(name, url_text, description)->type_name("URL")->check(database_url);
}

}  // namespace invites::cli
