#pragma once
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "db/database_url.hpp"

namespace invites::cli {

// --db URL, also from INVITES_DB_URL, required, checked while parsing so a
// bad URL is reported like any other usage error.
CLI::Option* add_database_option(CLI::App& command, std::string& url_text);
// Another database URL option of the same form, optional (the caller sets its variable).
CLI::Option* add_database_option(CLI::App& command, std::string& url_text, const std::string& name,
                                 const std::string& description);

// A subcommand that works on the database of --db: its options live as long
// as the run it returns, and Options::database_url is the --db option.
template <typename Options>
struct DatabaseCommand {
  CLI::App* command;
  std::shared_ptr<Options> options;
};
template <typename Options>
DatabaseCommand<Options> add_database_command(CLI::App& app, const std::string& name, const std::string& description) {
  DatabaseCommand<Options> added{app.add_subcommand(name, description), std::make_shared<Options>()};
  add_database_option(*added.command, added.options->database_url);
  return added;
}

}  // namespace invites::cli
