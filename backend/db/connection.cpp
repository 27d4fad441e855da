#include "db/connection.hpp"

#include <mutex>
#include <string>

#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/statement.h>
#include <mysql_connection.h>

#include "db/statement.hpp"

namespace invites::db {
namespace {

// MySQL 8.0's default sql_mode; every mode also exists in MariaDB 10.11.
constexpr const char* portable_sql_mode =
    "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
    "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION";

// get_driver_instance() is not thread-safe on its first call.
sql::Driver& driver() {
  static std::once_flag once;
  static sql::Driver* instance = nullptr;
  std::call_once(once, [] { instance = get_driver_instance(); });
  return *instance;
}

sql::ConnectOptionsMap connect_options(const DatabaseUrl& url, const ConnectOptions& options) {
  sql::ConnectOptionsMap map;
  // The tcp:// form keeps "localhost" on TCP instead of a default socket path.
  map["hostName"] =
      sql::SQLString("tcp://" + (url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host));
  map["port"] = static_cast<int>(url.port);
  map["userName"] = sql::SQLString(url.user);
  map["password"] = sql::SQLString(url.password);
  map["schema"] = sql::SQLString(url.database);
  map["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  map["OPT_CONNECT_TIMEOUT"] = static_cast<int>(options.connect_timeout.count());
  if (options.read_timeout.count() > 0) map["OPT_READ_TIMEOUT"] = static_cast<int>(options.read_timeout.count());
  map["OPT_RECONNECT"] = false;  // a silent reconnect would lose session settings and transactions
  return map;
}

bool is_galera_node(sql::Connection& connection) {
  const std::unique_ptr<sql::Statement> statement(connection.createStatement());
  const std::unique_ptr<sql::ResultSet> row(statement->executeQuery("SHOW VARIABLES LIKE 'wsrep_on'"));
  return row->next() && row->getString(2) == "ON";
}

void configure_session(sql::Connection& connection) {
  execute(connection, "SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci");
  execute(connection, "SET time_zone = '+00:00'");
  execute(connection, std::string("SET SESSION sql_mode = '") + portable_sql_mode + "'");
  // On a Galera node a read waits until the node has applied what the
  // cluster committed before it (causal reads): a request sees what the one
  // before wrote, whichever nodes the two went to (deploy/README.md).
  if (is_galera_node(connection)) execute(connection, "SET SESSION wsrep_sync_wait = 1");
}

}  // namespace

std::unique_ptr<sql::Connection> connect(const DatabaseUrl& url, const ConnectOptions& options) {
  try {
    auto map = connect_options(url, options);
    std::unique_ptr<sql::Connection> connection(driver().connect(map));
    configure_session(*connection);
    return connection;
  } catch (const sql::SQLException& e) {
    throw ConnectionError("cannot connect to " + url.redacted() + ": " + e.what() + " (error " +
                          std::to_string(e.getErrorCode()) + ")");
  }
}

bool ping(const DatabaseUrl& url, std::chrono::seconds timeout) noexcept {
  try {
    const auto connection = connect(url, {.connect_timeout = timeout, .read_timeout = timeout});
    return query_row<int>(*connection, "SELECT 1") == 1;
  } catch (...) {
    return false;
  }
}

void execute(sql::Connection& connection, std::string_view text) {
  const std::unique_ptr<sql::Statement> statement(connection.createStatement());
  statement->execute(sql::SQLString(text.data(), text.size()));
}

}  // namespace invites::db
