#pragma once
#include <string>

#include <CLI/CLI.hpp>

#include "db/database_url.hpp"

namespace invites::cli {

// --db URL, also from INVITES_DB_URL, required, checked while parsing so a
// bad URL is reported like any other usage error.
CLI::Option* add_database_option(CLI::App& command, std::string& url_text);

}  // namespace invites::cli
