#pragma once
// The whole sending stack for black-box tests (docs/design.md §5, §6): a fresh
// database with a small hand-written data set, a staff user with 390 and
// 120, a real SMTP sink, and invites-server processes talking to both.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <cppconn/connection.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "support/server_process.hpp"
#include "support/smtp_sink.hpp"
#include "support/staff_users.hpp"
#include "support/test_database.hpp"

namespace invites::testing {

inline constexpr const char* division_sender = "north@haul.example.com";

struct Person {
  std::string email;
  std::string first_name = "Pat";
  std::string last_name = "Doe";
};

// One division (North, sender division_sender), one account per person
// ("A<n>") with the person as its billing contact.
void write_people(sql::Connection& connection, const std::vector<Person>& people);
// n people user<k>@example.com, k = 0..n-1 (zero-padded to 3 digits).
std::vector<Person> numbered_people(int n, const std::string& prefix = "user");
// A running job (of the first staff user and template) with one pending
// outbox row per contact, for tests of the sending repository; its id.
std::uint64_t write_running_job(sql::Connection& connection);

class SendStack {
 public:
  // Migrated database, default template, staff user "alice" (390, 120), and
  // a sink started with these options (e.g. STARTTLS and AUTH).
  explicit SendStack(SmtpSinkOptions sink_options = {});
  // The same with the database on `database_server` instead of the mariadb fixture.
  explicit SendStack(const db::DatabaseUrl& database_server, SmtpSinkOptions sink_options = {});

  sql::Connection& sql() { return *sql_; }
  // numbered_people(n) written to the billing tables (write_people), returned.
  std::vector<Person> write_numbered_people(int n);
  const TestDatabase& database() const { return database_; }
  SmtpSink& sink() { return sink_; }

  // Starts a server (through the sink unless extra args say --maildir) and
  // makes it the one the API calls below use. Several may run at once. Its
  // --db is database().url() unless `database` names another way to the
  // same database (another node, a proxy); its port is any free one unless `port`.
  ServerProcess& start_server(const std::vector<std::string>& extra_args = {},
                              const std::optional<db::DatabaseUrl>& database = std::nullopt, int port = 0);
  ServerProcess& server() { return *servers_.back(); }
  std::vector<std::unique_ptr<ServerProcess>>& servers() { return servers_; }
  void kill_servers();  // kill -9 of every server started
  // The API calls below go to HOST:PORT from now on (a load balancer), signed in again.
  void use_endpoint(const std::string& host, int port);

  // Alice's session on the current server, for requests from clients of a test's own (several at once).
  const StaffLogin& staff_login() const { return login_; }
  // Logged-in API calls as alice on the current server; they REQUIRE an answer.
  httplib::Result get(const std::string& path);
  httplib::Result post(const std::string& path, const nlohmann::json& body);
  httplib::Result put(const std::string& path, const nlohmann::json& body);
  nlohmann::json get_json(const std::string& path, int expected_status = 200);
  nlohmann::json post_json(const std::string& path, const nlohmann::json& body, int expected_status);

  // Load (retried while the first index build runs); returns the preview.
  nlohmann::json load(const nlohmann::json& filter = nlohmann::json::object());
  std::uint32_t template_id();  // the default template's
  // POST /api/previews/{id}/send from division_sender with a fresh idempotency key; the job id.
  std::uint64_t send(const nlohmann::json& preview,
                     const std::vector<std::string>& groups = {"new_users", "pending_invites"});
  // Polls GET /api/jobs/{id} until `done` holds for the job (REQUIREs within timeout).
  nlohmann::json wait_job(std::uint64_t job_id, const std::function<bool(const nlohmann::json&)>& done,
                          std::chrono::seconds timeout = std::chrono::seconds(60));
  nlohmann::json wait_completed(std::uint64_t job_id, std::chrono::seconds timeout = std::chrono::seconds(60));

  // Messages the sink received, counted per envelope recipient.
  std::map<std::string, int> received_per_recipient() const;

 private:
  void connect_client(const std::string& host, int port);

  TestDatabase database_;
  std::unique_ptr<sql::Connection> sql_;
  SmtpSink sink_;
  std::vector<std::unique_ptr<ServerProcess>> servers_;
  std::unique_ptr<httplib::Client> client_;
  StaffLogin login_;
};

// What breaks "nobody skipped, nobody mailed twice" in the messages a sink
// received for `people`; empty when nothing does. Each copy of a message
// beyond the first to the same person is a repeat. Repeats are the
// exactly-once window (docs/design.md §6): a message accepted just before a
// failure whose 'sent' was lost, so at most `window` in all and at most one
// per SMTP connection.
// Which copies may be the repeats: after a crash, the earlier ones (the
// crashed connection's message went out before the row was taken over and
// sent again); when a paused server continues, its message in flight may go
// out after the copy of the server that took its row over, so any copy,
// and the window holds when some choice gives each repeat its own connection.
enum class RepeatedCopy { earlier, any };
std::vector<std::string> exactly_once_violations(const std::vector<SinkMessage>& messages,
                                                 const std::vector<Person>& people, int window,
                                                 RepeatedCopy repeated = RepeatedCopy::earlier);

// Checks that exactly_once_violations() finds nothing in what the stack's sink received.
void check_exactly_once(SendStack& stack, const std::vector<Person>& people, int window = 0,
                        RepeatedCopy repeated = RepeatedCopy::earlier);

// The message's body with quoted-printable soft breaks and escapes undone
// (good enough to find links and text in test messages).
std::string decode_quoted_printable(const std::string& text);
// The first invitation link (http://.../portal/accept?token=...) in a raw message.
std::string invite_link_in(const std::string& raw_message);
// The header block of a raw message (up to the first empty line).
std::string headers_of(const std::string& raw_message);

}  // namespace invites::testing
