#pragma once
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

}  // namespace invites::cli
