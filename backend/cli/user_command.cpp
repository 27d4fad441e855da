#include "cli/user_command.hpp"

#include <algorithm>
#include <iostream>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "cli/database_option.hpp"
#include "db/connection.hpp"
#include "db/migrations.hpp"
#include "db/retry.hpp"
#include "http/auth.hpp"
#include "repository/audit_log.hpp"
#include "repository/staff_sessions.hpp"
#include "repository/staff_users.hpp"
#include "security/passwords.hpp"
#include "security/usernames.hpp"

namespace invites::cli {
namespace {

// The staff tables come with this schema version.
constexpr int staff_schema_version = 3;
constexpr std::size_t max_password_length = 1024;

const std::set<int> known_permissions{static_cast<int>(http::Permission::send_invites),
                                      static_cast<int>(http::Permission::setup)};

struct UserAddOptions {
  std::string database_url;
  std::string username;
  bool password_stdin = false;
  std::vector<int> grants;
};

// One line from stdin without its line ending.
std::string read_password(std::istream& in) {
  std::string password;
  if (!std::getline(in, password) && password.empty()) throw std::runtime_error("no password on stdin");
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) throw std::runtime_error("the password must not be empty");
  if (password.size() > max_password_length) throw std::runtime_error("the password is too long");
  return password;
}

std::string join(const std::set<int>& numbers) {
  std::string out;
  for (const int n : numbers) out += (out.empty() ? "" : ",") + std::to_string(n);
  return out.empty() ? "none" : out;
}

int run_user_add(const UserAddOptions& options) {
  const std::set<int> grants(options.grants.begin(), options.grants.end());
  const std::string password = read_password(std::cin);
  const std::string hash = security::hash_password(password);

  const auto url = db::parse_database_url(options.database_url);
  const auto connection = db::connect(url);
  if (db::schema_version(*connection) < staff_schema_version) {
    throw std::runtime_error("the database has no staff tables yet: run `invites-server migrate` first");
  }

  // db::transact commits with a COMMIT statement (a failed commit raises)
  // and runs it again after a Galera certification conflict.
  // A replaced password or permission ends the user's sessions: whoever
  // signed in with the old password (or kept a session while losing a
  // permission) must sign in again.
  const auto [saved, sessions_ended] = db::transact(*connection, [&] {
    const auto saved = repository::save_staff_user(*connection, options.username, hash, grants);
    const std::uint64_t ended = saved.existed ? repository::delete_user_sessions(*connection, saved.id) : 0;
    repository::record(
        *connection, std::nullopt, saved.existed ? "staff_user.updated" : "staff_user.created",
        {{"user_id", saved.id}, {"username", options.username}, {"permissions", grants}, {"sessions_ended", ended}});
    return std::pair{saved, ended};
  });

  std::cout << (saved.existed ? "updated" : "created") << " staff user " << options.username << " (id " << saved.id
            << "), permissions: " << join(grants)
            << (saved.existed
                    ? " (password and permissions replaced, " + std::to_string(sessions_ended) + " session(s) ended)"
                    : "")
            << std::endl;
  return 0;
}

}  // namespace

Command add_user_command(CLI::App& app) {
  auto options = std::make_shared<UserAddOptions>();
  auto* user = app.add_subcommand("user", "Manage staff users");
  user->require_subcommand(1);
  auto* add =
      user->add_subcommand("add", "Create a staff user, or replace an existing user's password and permissions");
  add_database_option(*add, options->database_url);
  add->add_option("--username", options->username, "login name (case-insensitive, at most 64 characters)")
      ->envname("INVITES_USERNAME")
      ->required()
      ->check([](const std::string& name) -> std::string {
        const auto problem = security::username_problem(name);
        return problem.value_or("");
      });
  add->add_flag("--password-stdin", options->password_stdin, "read the password from the first line of stdin")
      ->required();
  add->add_option("--grant", options->grants,
                  "permissions to grant, comma-separated: 390 (send portal invitations), 120 (setup); "
                  "replaces the user's current ones")
      ->type_name("N[,N...]")
      ->envname("INVITES_GRANT")
      ->delimiter(',')
      ->check([](const std::string& text) -> std::string {
        try {
          std::size_t used = 0;
          const int number = std::stoi(text, &used);
          if (used == text.size() && known_permissions.contains(number)) return {};
        } catch (const std::exception&) {
        }
        return "unknown permission " + text + " (known: 390, 120)";
      });
  return {user, [options] { return run_user_add(*options); }};
}

}  // namespace invites::cli
