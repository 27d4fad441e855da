#include "support/staff_users.hpp"

#include <memory>
#include <stdexcept>

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <nlohmann/json.hpp>

#include "security/passwords.hpp"

namespace invites::testing {

std::uint64_t create_staff_user(sql::Connection& connection, const std::string& username, const std::string& password,
                                const std::vector<int>& permissions, bool disabled) {
  {
    const std::unique_ptr<sql::PreparedStatement> insert(
        connection.prepareStatement("INSERT INTO staff_users (username, password_hash, disabled) VALUES (?, ?, ?)"));
    insert->setString(1, username);
    insert->setString(2, security::hash_password(password));
    insert->setInt(3, disabled ? 1 : 0);
    insert->executeUpdate();
  }
  const std::unique_ptr<sql::PreparedStatement> last(connection.prepareStatement("SELECT LAST_INSERT_ID()"));
  const std::unique_ptr<sql::ResultSet> row(last->executeQuery());
  row->next();
  const std::uint64_t id = row->getUInt64(1);
  for (const int permission : permissions) {
    const std::unique_ptr<sql::PreparedStatement> grant(
        connection.prepareStatement("INSERT INTO staff_permissions (user_id, permission) VALUES (?, ?)"));
    grant->setUInt64(1, id);
    grant->setInt(2, permission);
    grant->executeUpdate();
  }
  return id;
}

httplib::Headers StaffLogin::headers(bool with_csrf) const {
  httplib::Headers headers{{"Cookie", cookie}};
  if (with_csrf) headers.emplace("X-CSRF-Token", csrf_token);
  return headers;
}

StaffLogin login_staff(httplib::Client& client, const std::string& username, const std::string& password) {
  const nlohmann::json body{{"username", username}, {"password", password}};
  const auto response = client.Post("/api/session", body.dump(), "application/json");
  if (!response) throw std::runtime_error("POST /api/session failed: " + httplib::to_string(response.error()));
  if (response->status != 200) {
    throw std::runtime_error("POST /api/session answered " + std::to_string(response->status) + ": " + response->body);
  }
  const std::string set_cookie = response->get_header_value("Set-Cookie");
  StaffLogin login;
  login.cookie = set_cookie.substr(0, set_cookie.find(';'));
  login.csrf_token = nlohmann::json::parse(response->body).at("csrf_token").get<std::string>();
  if (login.cookie.empty()) throw std::runtime_error("POST /api/session set no cookie");
  return login;
}

}  // namespace invites::testing
