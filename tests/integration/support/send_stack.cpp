#include "support/send_stack.hpp"

#include <map>
#include <regex>
#include <set>
#include <thread>

#include <catch2/catch.hpp>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include "db/connection.hpp"
#include "db/migrations.hpp"
#include "seed/default_template.hpp"

namespace invites::testing {
namespace {

const std::string staff_password = "correct horse battery staple";

std::string sql_text(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : c == '\\' ? std::string("\\\\") : std::string(1, c);
  return out + "'";
}

}  // namespace

void write_people(sql::Connection& connection, const std::vector<Person>& people) {
  db::execute(
      connection,
      "INSERT IGNORE INTO divisions (id, name, default_from_email) VALUES (1, 'North', 'north@haul.example.com')");
  std::string accounts = "INSERT INTO accounts (id, account_number, name, division_id, balance, autopay) VALUES ";
  std::string contacts = "INSERT INTO contacts (account_id, first_name, last_name, email, is_billing) VALUES ";
  // Account ids continue after existing ones, so several calls add people;
  // they are written, not generated (Galera's auto-increment steps by the node count).
  std::unique_ptr<sql::Statement> statement(connection.createStatement());
  std::unique_ptr<sql::ResultSet> max(statement->executeQuery("SELECT COALESCE(MAX(id), 0) FROM accounts"));
  max->next();
  const auto first_id = max->getUInt64(1) + 1;
  for (std::size_t i = 0; i < people.size(); ++i) {
    const auto id = std::to_string(first_id + i);
    accounts +=
        (i ? ", (" : "(") + id + ", " + sql_text("A" + id) + ", " + sql_text("Account " + id) + ", 1, 10.00, 0)";
    contacts += (i ? ", (" : "(") + id + ", " + sql_text(people[i].first_name) + ", " + sql_text(people[i].last_name) +
                ", " + sql_text(people[i].email) + ", 1)";
  }
  db::execute(connection, accounts);
  db::execute(connection, contacts);
}

std::vector<Person> numbered_people(int n, const std::string& prefix) {
  std::vector<Person> people;
  for (int k = 0; k < n; ++k) {
    std::string number = std::to_string(k);
    number.insert(0, 3 - std::min<std::size_t>(3, number.size()), '0');
    people.push_back({prefix + number + "@example.com", "Pat" + number, "Doe"});
  }
  return people;
}

std::uint64_t write_running_job(sql::Connection& connection) {
  db::execute(connection,
              "INSERT INTO send_jobs (created_by, status, from_email, template_id, filter_json, send_groups, digest) "
              "SELECT MIN(s.id), 'running', 'north@haul.example.com', MIN(t.id), '{}', 'new_users', 'x' "
              "FROM staff_users s, notification_templates t");
  const auto job = count_rows(connection, "SELECT MAX(id) FROM send_jobs");
  db::execute(connection, "INSERT INTO send_outbox (job_id, email, contact_id, recipient_group) SELECT " +
                              std::to_string(job) + ", email, id, 'new_users' FROM contacts");
  return job;
}

std::vector<Person> SendStack::write_numbered_people(int n) {
  std::vector<Person> people = numbered_people(n);
  write_people(sql(), people);
  return people;
}

SendStack::SendStack(SmtpSinkOptions sink_options) : SendStack(fixture_database_url(), std::move(sink_options)) {}

SendStack::SendStack(const db::DatabaseUrl& database_server, SmtpSinkOptions sink_options)
    : database_(database_server), sql_(database_.connect()), sink_(std::move(sink_options)) {
  db::migrate(*sql_);
  seed::install_default_template(*sql_);
  create_staff_user(*sql_, "alice", staff_password, {390, 120});
}

ServerProcess& SendStack::start_server(const std::vector<std::string>& extra_args,
                                       const std::optional<db::DatabaseUrl>& database, int port) {
  std::vector<std::string> args{"--snapshot-refresh-seconds", "0", "--retry-base-seconds", "1"};
  bool has_mail = false;
  for (const auto& arg : extra_args) has_mail = has_mail || arg == "--maildir" || arg == "--smtp";
  if (!has_mail) {
    args.push_back("--smtp");
    args.push_back(sink_.url());
  }
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  servers_.push_back(std::make_unique<ServerProcess>(database.value_or(database_.url()),
                                                     ServerProcess::Options{.extra_args = args, .port = port}));
  connect_client(server().host(), server().port());
  return *servers_.back();
}

void SendStack::use_endpoint(const std::string& host, int port) { connect_client(host, port); }

void SendStack::connect_client(const std::string& host, int port) {
  client_ = std::make_unique<httplib::Client>(host, port);
  client_->set_read_timeout(60, 0);
  login_ = login_staff(*client_, "alice", staff_password);
}

void SendStack::kill_servers() {
  for (auto& server : servers_) server->kill();
}

httplib::Result SendStack::get(const std::string& path) {
  auto result = client_->Get(path.c_str(), login_.headers());
  REQUIRE(result);
  return result;
}

httplib::Result SendStack::post(const std::string& path, const nlohmann::json& body) {
  auto result = client_->Post(path.c_str(), login_.headers(), body.dump(), "application/json");
  REQUIRE(result);
  return result;
}

httplib::Result SendStack::put(const std::string& path, const nlohmann::json& body) {
  auto result = client_->Put(path.c_str(), login_.headers(), body.dump(), "application/json");
  REQUIRE(result);
  return result;
}

nlohmann::json SendStack::get_json(const std::string& path, int expected_status) {
  const auto result = get(path);
  INFO(path << ": " << result->body);
  REQUIRE(result->status == expected_status);
  return nlohmann::json::parse(result->body);
}

nlohmann::json SendStack::post_json(const std::string& path, const nlohmann::json& body, int expected_status) {
  const auto result = post(path, body);
  INFO(path << ": " << result->body);
  REQUIRE(result->status == expected_status);
  return nlohmann::json::parse(result->body);
}

nlohmann::json SendStack::load(const nlohmann::json& filter) {
  for (int attempt = 0;; ++attempt) {
    const auto result = post("/api/previews", {{"filter", filter}});
    if (result->status == 503 && attempt < 300) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    INFO(result->body);
    REQUIRE(result->status == 200);
    return nlohmann::json::parse(result->body);
  }
}

std::uint32_t SendStack::template_id() {
  const auto templates = get_json("/api/templates")["templates"];
  for (const auto& stored : templates) {
    if (stored["name"] == seed::default_invitation_template().name) return stored["id"].get<std::uint32_t>();
  }
  FAIL("the default template is missing");
  return 0;
}

std::uint64_t SendStack::send(const nlohmann::json& preview, const std::vector<std::string>& groups) {
  static int keys = 0;
  const auto answer =
      post_json("/api/previews/" + preview["preview_id"].get<std::string>() + "/send",
                {{"from_email", division_sender},
                 {"template_id", template_id()},
                 {"groups", groups},
                 {"idempotency_key", "test-key-" + std::to_string(++keys) + "-" +
                                         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count())}},
                202);
  return answer["job_id"].get<std::uint64_t>();
}

nlohmann::json SendStack::wait_job(std::uint64_t job_id, const std::function<bool(const nlohmann::json&)>& done,
                                   std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  nlohmann::json job;
  std::string unavailable;  // the last 503, if any
  while (std::chrono::steady_clock::now() < deadline) {
    const auto result = get("/api/jobs/" + std::to_string(job_id));
    // A server whose database node just failed answers 503 until it reconnects (cluster tests).
    if (result->status == 503) {
      unavailable = result->body;
    } else {
      INFO(result->body);
      REQUIRE(result->status == 200);
      job = nlohmann::json::parse(result->body)["job"];
      if (done(job)) return job;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  INFO("job after the timeout: " << job.dump() << "\nlast 503 answer: " << unavailable);
  FAIL("the job did not reach the expected state in time");
  return job;
}

nlohmann::json SendStack::wait_completed(std::uint64_t job_id, std::chrono::seconds timeout) {
  return wait_job(
      job_id, [](const nlohmann::json& job) { return job["status"] == "completed"; }, timeout);
}

std::map<std::string, int> SendStack::received_per_recipient() const {
  std::map<std::string, int> counts;
  for (const auto& message : sink_.messages()) ++counts[message.rcpt];
  return counts;
}

namespace {

// A repeat: one extra copy of a message to `rcpt`, and the SMTP connections
// that may have carried it.
struct Repeat {
  std::string rcpt;
  std::set<int> connections;
};

// Puts repeat i on a connection of its own, moving earlier ones to others of
// theirs where needed (an augmenting path); false when there is no way.
bool place_repeat(const std::vector<Repeat>& repeats, std::size_t i, std::map<int, std::size_t>& placed,
                  std::set<int>& tried) {
  for (const int connection : repeats[i].connections) {
    if (!tried.insert(connection).second) continue;
    const auto holder = placed.find(connection);
    if (holder == placed.end() || place_repeat(repeats, holder->second, placed, tried)) {
      placed[connection] = i;
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<std::string> exactly_once_violations(const std::vector<SinkMessage>& messages,
                                                 const std::vector<Person>& people, int window, RepeatedCopy repeated) {
  std::map<std::string, std::vector<int>> connections_of;  // recipient → connection of each copy, in order
  for (const auto& message : messages) connections_of[message.rcpt].push_back(message.connection);
  std::vector<std::string> problems;
  std::set<std::string> expected;
  for (const auto& person : people) {
    expected.insert(person.email);
    if (!connections_of.contains(person.email)) problems.push_back(person.email + " received nothing");
  }
  std::vector<Repeat> repeats;
  for (const auto& [rcpt, connections] : connections_of) {
    if (!expected.contains(rcpt)) problems.push_back(rcpt + " is not a recipient of the job");
    for (std::size_t copy = 0; copy + 1 < connections.size(); ++copy)
      repeats.push_back({rcpt, repeated == RepeatedCopy::earlier
                                   ? std::set<int>{connections[copy]}
                                   : std::set<int>(connections.begin(), connections.end())});
  }
  std::map<int, std::size_t> placed;  // connection → the repeat it carried
  for (std::size_t i = 0; i < repeats.size(); ++i) {
    std::set<int> tried;
    if (place_repeat(repeats, i, placed, tried)) continue;
    std::string on;
    for (const int connection : repeats[i].connections) on += (on.empty() ? "" : ", ") + std::to_string(connection);
    problems.push_back("a repeat to " + repeats[i].rcpt +
                       " has no SMTP connection of its own (connections it may have gone out on: " + on + ")");
  }
  if (static_cast<int>(repeats.size()) > window)
    problems.push_back(std::to_string(repeats.size()) + " repeated messages, more than the window of " +
                       std::to_string(window));
  return problems;
}

void check_exactly_once(SendStack& stack, const std::vector<Person>& people, int window, RepeatedCopy repeated) {
  CHECK(exactly_once_violations(stack.sink().messages(), people, window, repeated) == std::vector<std::string>{});
}

std::string decode_quoted_printable(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '=') {
      out += text[i];
    } else if (i + 2 < text.size() && text[i + 1] == '\r' && text[i + 2] == '\n') {
      i += 2;  // soft line break
    } else if (i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string invite_link_in(const std::string& raw_message) {
  static const std::regex link(R"(https?://[^\s"<>]+/portal/accept\?token=[A-Za-z0-9_-]{43})");
  const std::string decoded = decode_quoted_printable(raw_message);
  std::smatch match;
  if (!std::regex_search(decoded, match, link)) return {};
  return match.str();
}

std::string headers_of(const std::string& raw_message) {
  const auto end = raw_message.find("\r\n\r\n");
  return raw_message.substr(0, end == std::string::npos ? raw_message.size() : end + 2);
}

}  // namespace invites::testing
