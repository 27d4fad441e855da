// Load over real HTTP against a real MariaDB (docs/design.md §2, §5): the in-memory
// index answers POST /api/previews; its counts and digests must equal the SQL
// path (repository::query_recipients) on the same rows, and a hand-written
// data set with hand-computed counts checks both against an independent oracle.
#include <unistd.h>

#include <chrono>
#include <limits>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "db/connection.hpp"
#include "db/migrations.hpp"
#include "content_decoding.hpp"
#include "invites/evaluator.hpp"
#include "invites/recipient_export.hpp"
#include "invites/snapshot_codec.hpp"
#include "invites/snapshot_delta.hpp"
#include "repository/recipient_query.hpp"
#include "repository/snapshot_loader.hpp"
#include "seed/seeder.hpp"
#include "service/preview_store.hpp"
#include "service/snapshot_index.hpp"
#include "support/child_process.hpp"
#include "support/test_database.hpp"

using namespace invites;
using nlohmann::json;

namespace {

const std::string password = "correct horse battery staple";

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void add_user(const db::DatabaseUrl& url, const std::string& username, const std::string& grants) {
  std::string command = "printf '%s\\n' " + shell_quote(password) + " | " +
                        shell_quote(testing::invites_server_path()) + " user add --db " + shell_quote(url.to_string()) +
                        " --username " + username + " --password-stdin";
  if (!grants.empty()) command += " --grant " + grants;
  const auto result = testing::run_process({"/bin/sh", "-c", command});
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
}

// The hand-written data set: every tricky case of docs/design.md §2 on four accounts.
void write_hand_data(sql::Connection& c) {
  for (const char* statement : {
           "INSERT INTO divisions (id, name, default_from_email) VALUES (1, 'North', 'north@haul.example.com'),"
           " (2, 'South', NULL)",
           "INSERT INTO account_classes (id, name) VALUES (1, 'Residential'), (2, 'Commercial')",
           "INSERT INTO bill_groups (id, name) VALUES (1, 'Monthly')",
           "INSERT INTO account_sources (id, name) VALUES (1, 'Web')",
           "INSERT INTO site_sources (id, name) VALUES (1, 'Original'), (2, 'Audit')",
           "INSERT INTO accounts (id, account_number, name, division_id, account_class_id, bill_group_id,"
           " account_source_id, balance, autopay) VALUES"
           " (1, '1001', 'Smith, John', 1, 1, 1, 1, 10.00, 0),"
           " (2, '1002', 'Acme \"Best\" Diner, LLC', 1, 2, NULL, NULL, 0.00, 1),"
           " (3, '1003', '=HYPERLINK(\"x\")', 2, 1, NULL, 1, -5.00, 0),"
           " (4, '1004', '+Plus Co', 2, NULL, 1, NULL, 20.00, 1)",
           "INSERT INTO sites (id, account_id, site_source_id, address) VALUES (1, 1, 1, '1 Main St'),"
           " (2, 1, 2, '2 Main St'), (3, 2, 2, '3 Oak Ave'), (4, 3, NULL, '4 Elm St'), (5, 4, 1, '5 Pine St')",
           "INSERT INTO services (id, site_id, active) VALUES (1, 1, 1), (2, 2, 0), (3, 3, 0), (4, 4, 1), (5, 5, 0)",
           "INSERT INTO contacts (id, account_id, first_name, last_name, email, is_billing) VALUES"
           " (1, 1, 'John', 'Smith', '  John.Smith@Example.com ', 1),"
           " (2, 1, 'Jane', 'Smith', 'jane@example.com', 0),"
           " (3, 2, 'Al', 'Acme', 'john.smith@example.com', 1),"
           " (4, 2, 'Bo', 'Acme', NULL, 0),"
           " (5, 2, 'Cy', 'Acme', 'not-an-email', 1),"
           " (6, 3, '-Dee', 'Lee, Jr', 'DEE@EXAMPLE.COM', 0),"
           " (7, 3, 'Eve', 'Lee', 'eve@example.com', 1),"
           " (8, 4, 'Fay', 'Poe', 'fay@example.com\t', 1),"
           " (9, 4, 'Gus', 'Poe', '', 0),"
           " (10, 4, 'Hal', 'Poe', '@hal', 0),"
           " (11, 1, 'Ivy', 'Smith', 'ivy@example.com', 0)",
           "INSERT INTO portal_users (email, status, last_invited_at) VALUES"
           " ('eve@example.com', 'invited', '2025-01-02 03:04:05'), ('dee@example.com', 'active', NULL),"
           " ('fay@example.com', 'disabled', NULL), ('jane@example.com', 'invited', NULL),"
           " ('zed@example.com', 'active', NULL)",
       })
    db::execute(c, statement);
}

constexpr const char* metrics_token = "load-test-metrics";

struct LoadServer {
  testing::TestDatabase database;
  std::unique_ptr<sql::Connection> sql = database.connect();
  std::unique_ptr<testing::ChildProcess> process;
  std::unique_ptr<httplib::Client> client;
  std::string cookie, csrf;

  LoadServer() { db::migrate(*sql); }

  void start() {
    add_user(database.url(), "alice", "390");
    process = std::make_unique<testing::ChildProcess>(std::vector<std::string>{
        testing::invites_server_path(), "serve", "--db", database.url().to_string(), "--listen", "127.0.0.1:0",
        "--snapshot-refresh-seconds", "0", "--metrics-token", metrics_token});
    const std::string line = process->read_line(std::chrono::seconds(20));
    const std::string marker = "listening on http://127.0.0.1:";
    const auto at = line.find(marker);
    REQUIRE(at != std::string::npos);
    client = std::make_unique<httplib::Client>("127.0.0.1", std::stoi(line.substr(at + marker.size())));
    client->set_read_timeout(60, 0);
    login("alice");
  }

  void login(const std::string& username) {
    const auto result =
        client->Post("/api/session", json{{"username", username}, {"password", password}}.dump(), "application/json");
    REQUIRE(result);
    REQUIRE(result->status == 200);
    const auto set_cookie = result->get_header_value("Set-Cookie");
    cookie = set_cookie.substr(0, set_cookie.find(';'));
    csrf = json::parse(result->body).at("csrf_token").get<std::string>();
  }

  httplib::Headers headers(httplib::Headers extra = {}) const {
    extra.emplace("Cookie", cookie);
    extra.emplace("X-CSRF-Token", csrf);
    return extra;
  }

  httplib::Result get(const std::string& path, httplib::Headers extra = {}) {
    auto result = client->Get(path.c_str(), headers(std::move(extra)));
    REQUIRE(result);
    return result;
  }

  httplib::Result post_preview(const json& body) {
    // The first build runs in the background: 503 snapshot_loading until it is done.
    for (int attempt = 0;; ++attempt) {
      auto result = client->Post("/api/previews", headers(), body.dump(), "application/json");
      REQUIRE(result);
      if (result->status != 503 || attempt > 200) return result;
      REQUIRE(json::parse(result->body)["error"]["code"] == "snapshot_loading");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  json load(const json& filter) {
    const auto result = post_preview(json{{"filter", filter}});
    INFO(result->body);
    REQUIRE(result->status == 200);
    return json::parse(result->body);
  }
};

// The hand-written data set has no suppressed address: the fifth count is 0.
json counts(std::uint64_t new_users, std::uint64_t pending, std::uint64_t skipped, std::uint64_t excluded) {
  return {{"new_users", new_users},
          {"pending_invites", pending},
          {"skipped_invalid_email", skipped},
          {"excluded_existing", excluded},
          {"skipped_suppressed", 0}};
}

json recipients(LoadServer& server, const std::string& preview, const std::string& query) {
  const auto result = server.get("/api/previews/" + preview + "/recipients?" + query);
  INFO(result->body);
  REQUIRE(result->status == 200);
  return json::parse(result->body);
}

std::vector<std::string> emails_of(const json& page) {
  std::vector<std::string> out;
  for (const auto& row : page["rows"]) out.push_back(row["email"]);
  return out;
}

}  // namespace

TEST_CASE("hand-written data set: Load gives the hand-computed counts", "[mariadb][http]") {
  LoadServer server;
  write_hand_data(*server.sql);
  server.start();

  struct Case {
    json filter;
    json expected;
  };
  const std::vector<Case> cases{
      {json::object(), counts(2, 2, 4, 2)},
      {{{"billing_contacts_only", true}}, counts(1, 1, 1, 1)},
      {{{"division_ids", {2}}}, counts(0, 1, 2, 2)},
      {{{"division_ids", {1}}, {"without_autopay_only", true}}, counts(2, 1, 0, 0)},
      {{{"balance_due_only", true}}, counts(2, 1, 2, 1)},
      {{{"active_service_only", true}}, counts(2, 2, 0, 1)},
      {{{"site_source_ids", {2}}}, counts(2, 1, 2, 0)},
      {{{"site_source_ids", {1}}}, counts(2, 1, 2, 1)},
      {{{"account_class_ids", {2}}}, counts(1, 0, 2, 0)},
      {{{"account_source_ids", {1}}}, counts(2, 2, 0, 1)},
      {{{"bill_group_ids", {1}}}, counts(2, 1, 2, 1)},
      {{{"division_ids", {1}}, {"account_class_ids", {1}}, {"balance_due_only", true}, {"billing_contacts_only", true}},
       counts(1, 0, 0, 0)},
  };
  for (const auto& c : cases) {
    INFO("filter " << c.filter.dump());
    const json result = server.load(c.filter);
    CHECK(result["counts"] == c.expected);
    // The SQL path agrees, digest included.
    const auto sql = repository::query_recipients(*server.sql, filter_from_json(c.filter));
    CHECK(counts_to_json(sql.counts) == c.expected);
    CHECK(result["digest"] == sql.digest);
  }

  // The address shared by two accounts is one recipient with its lowest contact id;
  // with only the second account selected, that account's contact represents it.
  const json all = server.load(json::object());
  auto page = recipients(server, all["preview_id"], "group=new_users");
  CHECK(page["total"] == 2);
  CHECK(page["rows"][0] == json{{"email", "ivy@example.com"},
                                {"first_name", "Ivy"},
                                {"last_name", "Smith"},
                                {"account_number", "1001"},
                                {"account_name", "Smith, John"},
                                {"contact_id", 11},
                                {"last_invited_at", nullptr}});
  CHECK(page["rows"][1]["email"] == "john.smith@example.com");
  CHECK(page["rows"][1]["contact_id"] == 1);
  const json commercial = server.load({{"account_class_ids", {2}}});
  page = recipients(server, commercial["preview_id"], "group=new_users");
  CHECK(page["rows"][0]["contact_id"] == 3);

  page = recipients(server, all["preview_id"], "group=pending_invites");
  CHECK(emails_of(page) == std::vector<std::string>{"eve@example.com", "jane@example.com"});
  CHECK(page["rows"][0]["last_invited_at"] == "2025-01-02T03:04:05Z");
  CHECK(page["rows"][1]["last_invited_at"] == nullptr);

  page = recipients(server, all["preview_id"], "group=skipped_invalid_email");
  CHECK(page["total"] == 4);
  CHECK(emails_of(page) == std::vector<std::string>{"", "", "@hal", "not-an-email"});
  CHECK(page["rows"][0]["contact_id"] == 4);
  CHECK(page["rows"][1]["contact_id"] == 9);
}

TEST_CASE("CSV export quotes per RFC 4180 and neutralizes formulas", "[mariadb][http]") {
  LoadServer server;
  write_hand_data(*server.sql);
  server.start();
  const json all = server.load(json::object());
  const std::string id = all["preview_id"];
  const std::string header = "email,first_name,last_name,account_number,account_name,contact_id,last_invited_at\r\n";

  auto result = server.get("/api/previews/" + id + "/recipients?group=excluded_existing&format=csv");
  REQUIRE(result->status == 200);
  CHECK(result->get_header_value("Content-Type") == "text/csv; charset=utf-8");
  CHECK(result->get_header_value("Content-Disposition").find("attachment") == 0);
  CHECK(result->body == header +
                            "dee@example.com,'-Dee,\"Lee, Jr\",1003,\"'=HYPERLINK(\"\"x\"\")\",6,\r\n"
                            "fay@example.com,Fay,Poe,1004,'+Plus Co,8,\r\n");

  // The path form and Accept: text/csv give the same; the whole group, not a page.
  result = server.get("/api/previews/" + id + "/recipients.csv?group=new_users&limit=1");
  REQUIRE(result->status == 200);
  const std::string new_users = header +
                                "ivy@example.com,Ivy,Smith,1001,\"Smith, John\",11,\r\n"
                                "john.smith@example.com,John,Smith,1001,\"Smith, John\",1,\r\n";
  CHECK(result->body == new_users);
  result = server.get("/api/previews/" + id + "/recipients?group=new_users", {{"Accept", "text/csv"}});
  CHECK(result->body == new_users);
  result = server.get("/api/previews/" + id + "/recipients?group=pending_invites&format=csv&sort=email&order=desc");
  CHECK(result->body == header +
                            "jane@example.com,Jane,Smith,1001,\"Smith, John\",2,\r\n"
                            "eve@example.com,Eve,Lee,1003,\"'=HYPERLINK(\"\"x\"\")\",7,2025-01-02T03:04:05Z\r\n");
}

TEST_CASE("a portal user written directly in SQL counts at the very next Load", "[mariadb][http]") {
  LoadServer server;
  write_hand_data(*server.sql);
  server.start();
  CHECK(server.load(json::object())["counts"] == counts(2, 2, 4, 2));

  db::execute(*server.sql, "INSERT INTO portal_users (email, status) VALUES ('ivy@example.com', 'active')");
  const json after_insert = server.load(json::object());
  CHECK(after_insert["counts"] == counts(1, 2, 4, 3));
  const auto page = recipients(server, after_insert["preview_id"], "group=new_users");
  CHECK(emails_of(page) == std::vector<std::string>{"john.smith@example.com"});
  CHECK(after_insert["digest"] == repository::query_recipients(*server.sql, Filter{}).digest);

  db::execute(*server.sql,
              "UPDATE portal_users SET status = 'invited', last_invited_at = '2025-03-04 05:06:07'"
              " WHERE email = 'ivy@example.com'");
  const json after_update = server.load(json::object());
  CHECK(after_update["counts"] == counts(1, 3, 4, 2));
  const auto pending = recipients(server, after_update["preview_id"], "group=pending_invites&q=IVY");
  REQUIRE(pending["total"] == 1);
  CHECK(pending["rows"][0]["last_invited_at"] == "2025-03-04T05:06:07Z");
  // The earlier preview keeps the data it was computed on.
  CHECK(recipients(server, after_insert["preview_id"], "group=pending_invites")["total"] == 2);
}

TEST_CASE("Load equals the SQL path on seeded data, each filter alone and combined", "[mariadb][http]") {
  LoadServer server;
  seed::seed_database(*server.sql, {.accounts = 3000, .seed = 11});
  server.start();

  std::vector<json> filters{json::object()};
  for (int id = 1; id <= 6; ++id) filters.push_back({{"division_ids", {id}}});
  for (int id = 1; id <= 6; ++id) filters.push_back({{"account_class_ids", {id}}});
  filters.push_back({{"bill_group_ids", {1, 3, 8}}});
  filters.push_back({{"account_source_ids", {2}}});
  filters.push_back({{"account_source_ids", {1, 7}}});
  filters.push_back({{"site_source_ids", {3}}});
  filters.push_back({{"site_source_ids", {1, 6}}});
  filters.push_back({{"active_service_only", true}});
  filters.push_back({{"balance_due_only", true}});
  filters.push_back({{"billing_contacts_only", true}});
  filters.push_back({{"without_autopay_only", true}});
  filters.push_back({{"division_ids", {2}}, {"account_class_ids", {1}}, {"balance_due_only", true}});
  filters.push_back({{"site_source_ids", {2}}, {"active_service_only", true}});
  filters.push_back({{"billing_contacts_only", true}, {"without_autopay_only", true}});
  filters.push_back({{"division_ids", {1, 2, 4}},
                     {"account_class_ids", {1, 2}},
                     {"bill_group_ids", {1, 2, 3, 4}},
                     {"account_source_ids", {1, 2, 3}},
                     {"site_source_ids", {1, 2}},
                     {"active_service_only", true},
                     {"balance_due_only", true},
                     {"billing_contacts_only", true},
                     {"without_autopay_only", true}});
  for (const auto& filter : filters) {
    INFO("filter " << filter.dump());
    const json result = server.load(filter);
    const auto sql = repository::query_recipients(*server.sql, filter_from_json(filter));
    CHECK(result["counts"] == counts_to_json(sql.counts));
    CHECK(result["digest"] == sql.digest);
  }
  // The demo data has every kind of recipient.
  const auto all = repository::query_recipients(*server.sql, Filter{}).counts;
  CHECK(all.new_users > 1000);
  CHECK(all.pending_invites > 50);
  CHECK(all.excluded_existing > 50);
  CHECK(all.skipped_invalid_email > 100);
}

TEST_CASE("recipient pages: paging, sorting, search and parameter errors", "[mariadb][http]") {
  LoadServer server;
  seed::seed_database(*server.sql, {.accounts = 800, .seed = 5});
  server.start();
  const json result = server.load(json::object());
  const std::string id = result["preview_id"];
  const auto new_users = result["counts"]["new_users"].get<std::size_t>();
  REQUIRE(new_users > 100);  // enough rows for the pages, sorts and searches below

  const json everything = recipients(server, id, "group=new_users&limit=1000");
  REQUIRE(everything["total"] == new_users);
  REQUIRE(everything["rows"].size() == std::min<std::size_t>(new_users, 1000));
  CHECK(std::is_sorted(everything["rows"].begin(), everything["rows"].end(),
                       [](const json& a, const json& b) { return a["email"] < b["email"]; }));
  CHECK(recipients(server, id, "")["rows"].size() == 100);  // defaults: new_users, limit 100
  const json first = recipients(server, id, "group=new_users&offset=0&limit=10");
  const json second = recipients(server, id, "group=new_users&offset=10&limit=10");
  for (int i = 0; i < 10; ++i) {
    CHECK(first["rows"][i] == everything["rows"][i]);
    CHECK(second["rows"][i] == everything["rows"][10 + i]);
  }
  CHECK(recipients(server, id, "group=new_users&offset=1000000")["rows"].empty());

  const json by_name = recipients(server, id, "group=new_users&sort=last_name&order=desc&limit=1000");
  CHECK(by_name["rows"].size() == everything["rows"].size());
  CHECK(std::is_sorted(by_name["rows"].begin(), by_name["rows"].end(),
                       [](const json& a, const json& b) { return a["last_name"] > b["last_name"]; }));

  // Search: case-insensitive substring of email, names, account number or name.
  const json searched = recipients(server, id, "group=new_users&q=SMITH&limit=1000");
  REQUIRE(searched["total"] > 0);
  CHECK(searched["total"] < new_users);
  for (const auto& row : searched["rows"]) {
    std::string all_text = row["email"].get<std::string>() + row["first_name"].get<std::string>() +
                           row["last_name"].get<std::string>() + row["account_number"].get<std::string>() +
                           row["account_name"].get<std::string>();
    for (char& c : all_text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    CHECK(all_text.find("smith") != std::string::npos);
  }

  for (const auto& [query, field] : std::vector<std::pair<std::string, std::string>>{{"group=everyone", "group"},
                                                                                     {"sort=colour", "sort"},
                                                                                     {"order=up", "order"},
                                                                                     {"offset=-1", "offset"},
                                                                                     {"offset=abc", "offset"},
                                                                                     {"limit=0", "limit"},
                                                                                     {"limit=1001", "limit"},
                                                                                     {"format=xml", "format"}}) {
    INFO(query);
    const auto bad = server.get("/api/previews/" + id + "/recipients?" + query);
    CHECK(bad->status == 400);
    CHECK(json::parse(bad->body)["error"]["field"] == field);
  }
  CHECK(server.get("/api/previews/0123456789abcdef0123456789abcdef/recipients")->status == 404);

  // Someone else's preview is not found either.
  add_user(server.database.url(), "bob", "390");
  server.login("bob");
  CHECK(server.get("/api/previews/" + id + "/recipients")->status == 404);
}

TEST_CASE("filter errors are 400 naming the field", "[mariadb][http]") {
  LoadServer server;
  write_hand_data(*server.sql);
  server.start();
  server.load(json::object());  // wait for the index

  const std::vector<std::pair<json, std::string>> cases{
      {{{"filter", {{"colour", "red"}}}}, "filter.colour"},
      {{{"filter", {{"division_ids", {999}}}}}, "filter.division_ids[0]"},
      {{{"filter", {{"site_source_ids", {1, 77}}}}}, "filter.site_source_ids[1]"},
      {{{"filter", {{"account_class_ids", {1, 2, 3}}}}}, "filter.account_class_ids[2]"},
      {{{"filter", {{"balance_due_only", "yes"}}}}, "filter.balance_due_only"},
      {{{"filter", json::array()}}, "filter"},
      {json::object(), "filter"},
      {{{"filter", json::object()}, {"extra", 1}}, "extra"},
  };
  for (const auto& [body, field] : cases) {
    INFO(body.dump());
    const auto result = server.post_preview(body);
    CHECK(result->status == 400);
    const json error = json::parse(result->body)["error"];
    CHECK(error["field"] == field);
    CHECK(error["message"].get<std::string>().find(field) != std::string::npos);
  }
}

TEST_CASE("snapshot download: ETag round trip, gzip, and decoded counts equal Load", "[mariadb][http]") {
  LoadServer server;
  seed::seed_database(*server.sql, {.accounts = 500, .seed = 9});
  server.start();
  const json loaded = server.load(json::object());

  auto plain = server.get("/api/snapshot", {{"Accept-Encoding", "identity"}});
  REQUIRE(plain->status == 200);
  CHECK(plain->get_header_value("Content-Type") == "application/octet-stream");
  CHECK(plain->get_header_value("X-Snapshot-Generated-At") == loaded["generated_at"]);
  const std::string etag = plain->get_header_value("ETag");
  REQUIRE(std::regex_match(etag, std::regex("\"[0-9a-f]{16}\"")));
  const Snapshot snapshot = SnapshotCodec::decode(plain->body);
  const auto evaluation = evaluate(snapshot, Filter{});
  CHECK(counts_to_json(evaluation.counts) == loaded["counts"]);
  CHECK(evaluation.digest == loaded["digest"]);

  auto unchanged = server.get("/api/snapshot", {{"If-None-Match", etag}});
  CHECK(unchanged->status == 304);
  CHECK(unchanged->body.empty());

  auto gzipped = server.get("/api/snapshot", {{"Accept-Encoding", "gzip"}});  // the client inflates it
  REQUIRE(gzipped->status == 200);
  CHECK(gzipped->get_header_value("Content-Encoding") == "gzip");
  CHECK(gzipped->body == plain->body);

  // A new portal user changes the snapshot and so its ETag.
  db::execute(*server.sql, "UPDATE portal_users SET status = 'disabled' WHERE status = 'invited' LIMIT 1");
  auto changed = server.get("/api/snapshot", {{"If-None-Match", etag}});
  CHECK(changed->status == 200);
  CHECK(changed->get_header_value("ETag") != etag);
}

TEST_CASE("snapshot refresh: an older copy gets the deltas to the full download's bytes", "[mariadb][http]") {
  LoadServer server;
  seed::seed_database(*server.sql, {.accounts = 500, .seed = 12});
  server.start();
  server.load(json::object());  // waits for the first build
  const auto full = [&] { return server.get("/api/snapshot", {{"Accept-Encoding", "identity"}}); };
  const auto refresh_of = [&](const std::string& etag) {
    return server.get("/api/snapshot", {{"Accept-Encoding", "identity"}, {"If-None-Match", etag}});
  };
  const auto first = full();
  REQUIRE(first->status == 200);
  const std::string first_etag = first->get_header_value("ETag");
  const Snapshot held = SnapshotCodec::decode(first->body);

  // A portal status the tool changed (the same build, newer statuses): that entry alone.
  db::execute(*server.sql, "UPDATE portal_users SET status = 'disabled' WHERE status = 'invited' LIMIT 1");
  const auto portal = refresh_of(first_etag);
  REQUIRE(portal->status == 200);
  CHECK(portal->get_header_value("Content-Type") == snapshot_delta_content_type);
  CHECK(portal->body.size() < 100);
  const auto second = full();
  CHECK(portal->get_header_value("ETag") == second->get_header_value("ETag"));
  CHECK(SnapshotCodec::encode(SnapshotDelta::apply(held, portal->body)) == second->body);

  // Rows of the billing database changed, then a rebuild.
  db::execute(*server.sql, "UPDATE contacts SET first_name = CONCAT(first_name, 'x') WHERE id % 97 = 0");
  db::execute(*server.sql, "DELETE FROM contacts WHERE id = 3");
  db::execute(*server.sql,
              "INSERT INTO contacts (id, account_id, first_name, last_name, email, is_billing)"
              " SELECT MAX(id) + 1, 1, 'New', 'Contact', 'new.contact@example.net', 1 FROM contacts");
  db::execute(*server.sql, "UPDATE accounts SET name = 'Renamed' WHERE id = 2");
  REQUIRE(server.client->Post("/api/snapshot/refresh", server.headers(), "", "application/json")->status == 202);
  auto third = full();
  for (int attempt = 0; attempt < 300 && third->get_header_value("ETag") == second->get_header_value("ETag");
       ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    third = full();
  }
  REQUIRE(third->get_header_value("ETag") != second->get_header_value("ETag"));
  REQUIRE(SnapshotCodec::decode(third->body).contact_count() == held.contact_count());

  // From the first copy: the portal step and the rebuild, back to back.
  const auto chained = refresh_of(first_etag);
  REQUIRE(chained->status == 200);
  CHECK(chained->get_header_value("Content-Type") == snapshot_delta_content_type);
  CHECK(chained->get_header_value("ETag") == third->get_header_value("ETag"));
  CHECK(chained->body.size() < third->body.size() / 20);
  CHECK(SnapshotCodec::encode(SnapshotDelta::apply(held, chained->body)) == third->body);
  // From the second: the rebuild alone; compressed as the client admits.
  const auto coded =
      server.get("/api/snapshot", {{"Accept-Encoding", "gzip"}, {"If-None-Match", second->get_header_value("ETag")}});
  REQUIRE(coded->status == 200);
  CHECK(coded->get_header_value("Content-Encoding") == "gzip");
  CHECK(SnapshotCodec::encode(SnapshotDelta::apply(SnapshotCodec::decode(second->body), coded->body)) == third->body);
  // The current copy: 304; a copy this server has no deltas from: the full copy.
  CHECK(refresh_of(third->get_header_value("ETag"))->status == 304);
  const auto unknown = refresh_of("\"0123456789abcdef\"");
  REQUIRE(unknown->status == 200);
  CHECK(unknown->get_header_value("Content-Type") == "application/octet-stream");
  CHECK(unknown->body == third->body);
}

TEST_CASE("CSV and snapshot downloads stream in every coding, byte-equal to the whole bodies", "[mariadb][http]") {
  LoadServer server;
  seed::seed_database(*server.sql, {.accounts = 3500, .seed = 4});
  server.start();
  const json loaded = server.load(json::object());
  const std::string id = loaded["preview_id"];
  // The same data evaluated here, written whole as before streaming.
  const Snapshot snapshot = repository::load_snapshot(*server.sql);
  const Evaluation evaluation = evaluate(snapshot, Filter{});
  REQUIRE(evaluation.digest == loaded["digest"]);
  const auto csv_of = [&](PageRequest request, bool skipped = false) {
    request.limit = std::numeric_limits<std::size_t>::max();
    return recipient_page_csv(skipped ? page_skipped_contacts(snapshot, evaluation, request)
                                      : page_recipients(snapshot, evaluation, request));
  };
  REQUIRE(evaluation.counts.new_users > 4096);  // more than one streamed block of rows

  struct Download {
    std::string query;
    std::string expected;
  };
  const std::vector<Download> downloads{
      {"group=new_users", csv_of({.group = Group::new_users})},
      {"group=pending_invites&limit=5", csv_of({.group = Group::pending_invites})},
      {"group=new_users&sort=last_name&order=desc&q=a",
       csv_of({.group = Group::new_users, .query = "a", .sort = SortColumn::last_name, .descending = true})},
      {"group=skipped_invalid_email", csv_of({}, true)},
  };
  server.client->set_decompress(false);
  for (const auto& [accept, coding] : {std::pair{"gzip, deflate, br, zstd", "zstd"}, std::pair{"br, gzip", "br"},
                                       std::pair{"gzip", "gzip"}, std::pair{"identity", ""}}) {
    INFO("Accept-Encoding: " << accept);
    for (const auto& download : downloads) {
      INFO(download.query);
      const auto csv =
          server.get("/api/previews/" + id + "/recipients.csv?" + download.query, {{"Accept-Encoding", accept}});
      REQUIRE(csv->status == 200);
      CHECK(csv->get_header_value("Transfer-Encoding") == "chunked");
      CHECK(csv->get_header_value("Content-Encoding") == coding);
      CHECK(csv->get_header_value("Vary") == "Accept-Encoding");
      CHECK(testing::decode_content(coding, csv->body) == download.expected);
    }
    const auto plain = server.get("/api/snapshot", {{"Accept-Encoding", "identity"}});
    const auto coded = server.get("/api/snapshot", {{"Accept-Encoding", accept}});
    REQUIRE(coded->status == 200);
    CHECK(coded->get_header_value("Transfer-Encoding") == "chunked");
    CHECK(coded->get_header_value("Content-Encoding") == coding);
    CHECK(coded->get_header_value("ETag") == plain->get_header_value("ETag"));
    CHECK(coded->get_header_value("X-Snapshot-Bytes") == std::to_string(plain->body.size()));
    CHECK(testing::decode_content(coding, coded->body) == plain->body);
    Snapshot decoded = SnapshotCodec::decode(plain->body);
    decoded.generated_at = snapshot.generated_at;  // read a moment apart
    CHECK(decoded == snapshot);
  }
}

TEST_CASE("lookups, refresh, metrics and permissions", "[mariadb][http]") {
  LoadServer server;
  write_hand_data(*server.sql);
  server.start();
  server.load(json::object());

  auto result = server.get("/api/lookups");
  REQUIRE(result->status == 200);
  const json lookups = json::parse(result->body);
  CHECK(lookups["divisions"] == json::parse(R"([{"id":1,"name":"North","default_from_email":"north@haul.example.com"},
                                                {"id":2,"name":"South","default_from_email":null}])"));
  CHECK(lookups["account_classes"] == json::parse(R"([{"id":2,"name":"Commercial"},{"id":1,"name":"Residential"}])"));
  CHECK(lookups["site_sources"] == json::parse(R"([{"id":2,"name":"Audit"},{"id":1,"name":"Original"}])"));
  CHECK(lookups["bill_groups"].size() == 1);
  CHECK(lookups["account_sources"].size() == 1);

  // A rebuild on request picks up new billing rows.
  db::execute(*server.sql,
              "INSERT INTO contacts (id, account_id, first_name, last_name, email, is_billing)"
              " VALUES (12, 4, 'Kim', 'Poe', 'kim@example.com', 1)");
  auto refresh = server.client->Post("/api/snapshot/refresh", server.headers(), "", "application/json");
  REQUIRE(refresh);
  CHECK(refresh->status == 202);
  bool seen = false;
  for (int i = 0; i < 100 && !seen; ++i) {
    seen = server.load(json::object())["counts"]["new_users"] == 3;
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(seen);

  result = server.client->Get("/metrics", {{"Authorization", std::string("Bearer ") + metrics_token}});
  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(result->body.find("invites_load_total ") != std::string::npos);
  CHECK(result->body.find("invites_http_requests_total{class=\"2xx\"}") != std::string::npos);
  CHECK(result->body.find("invites_snapshot_contacts 12") != std::string::npos);
  CHECK(result->body.find("invites_snapshot_refresh_total{result=\"ok\"} ") != std::string::npos);
  CHECK(result->body.find("invites_snapshot_age_seconds ") != std::string::npos);

  // Without a session: 401; without permission 390: 403.
  CHECK(server.client->Get("/api/lookups")->status == 401);
  CHECK(server.client->Post("/api/previews", R"({"filter":{}})", "application/json")->status == 401);
  add_user(server.database.url(), "carol", "120");
  server.login("carol");
  CHECK(server.get("/api/lookups")->status == 403);
  CHECK(server.post_preview(json{{"filter", json::object()}})->status == 403);
  CHECK(server.get("/api/snapshot")->status == 403);
}

TEST_CASE("seed is deterministic and refuses a database with rows unless --replace", "[mariadb][seed]") {
  testing::TestDatabase first, second;
  auto first_sql = first.connect(), second_sql = second.connect();
  db::migrate(*first_sql);
  db::migrate(*second_sql);
  auto seed = [](const testing::TestDatabase& database, std::vector<std::string> extra) {
    std::vector<std::string> argv{testing::invites_server_path(), "seed",       "--db",
                                  database.url().to_string(),     "--accounts", "1500"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return testing::run_process(argv);
  };
  auto fingerprint = [](sql::Connection& c) {
    std::unique_ptr<sql::Statement> statement(c.createStatement());
    std::string out;
    for (const char* query :
         {"SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', id, account_number, name, division_id, account_class_id,"
          " bill_group_id, account_source_id, balance, autopay))) FROM accounts",
          "SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', id, account_id, first_name, last_name, email, is_billing)))"
          " FROM contacts",
          "SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', id, account_id, site_source_id, address))) FROM sites",
          "SELECT COUNT(*), SUM(active) FROM services",
          "SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', email, status, last_invited_at))) FROM portal_users"}) {
      std::unique_ptr<sql::ResultSet> rows(statement->executeQuery(query));
      REQUIRE(rows->next());
      out += rows->getString(1).asStdString() + "/" + rows->getString(2).asStdString() + " ";
    }
    return out;
  };

  auto result = seed(first, {"--seed", "42"});
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  CHECK(result.output.find("accounts 1500") != std::string::npos);
  REQUIRE(seed(second, {"--seed", "42"}).exit_code == 0);
  const std::string expected = fingerprint(*first_sql);
  CHECK(fingerprint(*second_sql) == expected);
  CHECK(repository::query_recipients(*first_sql, Filter{}).digest ==
        repository::query_recipients(*second_sql, Filter{}).digest);

  // A different seed gives different rows.
  result = seed(second, {"--seed", "43", "--replace"});
  REQUIRE(result.exit_code == 0);
  CHECK(fingerprint(*second_sql) != expected);

  // Seeding again without --replace is refused and writes nothing.
  result = seed(first, {"--seed", "43"});
  CHECK(result.exit_code != 0);
  CHECK(result.output.find("--replace") != std::string::npos);
  CHECK(fingerprint(*first_sql) == expected);
  // With --replace the tables are emptied first: the same seed gives the same rows again.
  REQUIRE(seed(first, {"--seed", "42", "--replace"}).exit_code == 0);
  CHECK(fingerprint(*first_sql) == expected);
}

TEST_CASE("the index answers snapshot_loading before its first build", "[mariadb]") {
  testing::TestDatabase database;
  auto connection = database.connect();
  db::migrate(*connection);
  write_hand_data(*connection);
  service::SnapshotIndex index([&database] { return database.connect(); }, std::chrono::seconds(0));
  CHECK(index.current() == nullptr);
  CHECK_THROWS_AS(index.current_for_load(*connection), service::SnapshotLoading);
  index.build_now();
  const auto state = index.current_for_load(*connection);
  REQUIRE(state);
  CHECK(state->snapshot->contact_count() == 11);
  CHECK(state->lookups->divisions.size() == 2);
  // No change since: the same state (no copy).
  CHECK(index.current_for_load(*connection) == state);
}

TEST_CASE("preview store: owner only, bounded per user and in total", "[previews]") {
  service::PreviewStore store({.per_user = 3, .total = 5, .lifetime = std::chrono::seconds(3600)});
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(store.add(1, Filter{}, Evaluation{}, nullptr)->id);
  CHECK(ids[0].size() == 32);
  CHECK(store.find(ids[0], 1) == nullptr);  // evicted: user 1 keeps 3
  CHECK(store.find(ids[3], 1) != nullptr);
  CHECK(store.find(ids[3], 2) == nullptr);  // not the owner
  store.add(2, Filter{}, Evaluation{}, nullptr);
  store.add(2, Filter{}, Evaluation{}, nullptr);
  store.add(2, Filter{}, Evaluation{}, nullptr);  // total 5: the oldest goes
  CHECK(store.size() == 5);
  CHECK(store.find(ids[1], 1) == nullptr);
  CHECK(store.find(ids[2], 1) != nullptr);
  service::PreviewStore expiring({.per_user = 3, .total = 5, .lifetime = std::chrono::seconds(0)});
  const auto id = expiring.add(1, Filter{}, Evaluation{}, nullptr)->id;
  CHECK(expiring.find(id, 1) == nullptr);

  // The memory budget evicts the oldest previews, never the newest.
  Evaluation big;
  big.groups[0].resize(1000);
  const std::size_t one = service::evaluation_bytes(big);
  service::PreviewStore budget(
      {.per_user = 10, .total = 10, .lifetime = std::chrono::seconds(3600), .max_bytes = 2 * one + one / 2});
  const auto a = budget.add(1, Filter{}, big, nullptr)->id;
  const auto b = budget.add(1, Filter{}, big, nullptr)->id;
  const auto c = budget.add(2, Filter{}, big, nullptr)->id;
  CHECK(budget.find(a, 1) == nullptr);
  CHECK(budget.find(b, 1) != nullptr);
  CHECK(budget.find(c, 2) != nullptr);
  service::PreviewStore tiny({.per_user = 10, .total = 10, .lifetime = std::chrono::seconds(3600), .max_bytes = 1});
  const auto kept = tiny.add(1, Filter{}, big, nullptr)->id;
  CHECK(tiny.find(kept, 1) != nullptr);

  // At most two snapshot generations stay referenced; rebase moves previews
  // of a generation to its newest portal statuses and keeps their evaluation.
  service::PreviewStore generations(
      {.per_user = 10, .total = 10, .lifetime = std::chrono::seconds(3600), .max_generations = 2});
  auto first = std::make_shared<const Snapshot>();
  auto statuses = std::make_shared<const service::PortalState>();
  const auto g1 = generations.add(1, Filter{}, big, first, 1);
  generations.rebase(1, statuses);
  const auto rebased = generations.find(g1->id, 1);
  REQUIRE(rebased);
  CHECK(rebased->snapshot == first);
  CHECK(rebased->portal == statuses);
  CHECK(rebased->evaluation == g1->evaluation);
  CHECK(g1->portal == nullptr);  // the object a reader holds is unchanged
  const auto g2 = generations.add(1, Filter{}, big, nullptr, 2);
  CHECK(generations.find(g1->id, 1) != nullptr);
  const auto g3 = generations.add(1, Filter{}, big, nullptr, 3);
  CHECK(generations.find(g1->id, 1) == nullptr);
  CHECK(generations.find(g2->id, 1) != nullptr);
  CHECK(generations.find(g3->id, 1) != nullptr);
  // A build starting while generation 3 is current drops generation 2's.
  generations.drop_generations_before(3);
  CHECK(generations.find(g2->id, 1) == nullptr);
  CHECK(generations.find(g3->id, 1) != nullptr);
  CHECK(generations.size() == 1);
}

TEST_CASE("a rebuild tells the generation current when it starts, then its own, and the first build tells none",
          "[mariadb]") {
  testing::TestDatabase database;
  auto connection = database.connect();
  db::migrate(*connection);
  write_hand_data(*connection);
  service::SnapshotIndex index([&database] { return database.connect(); }, std::chrono::seconds(0));
  std::vector<std::uint64_t> told;
  index.on_release_before([&told](std::uint64_t generation) { told.push_back(generation); });
  index.build_now();
  CHECK(told.empty());
  const auto first = index.current()->generation;
  index.build_now();
  const auto second = index.current()->generation;
  CHECK(second != first);
  CHECK(told == std::vector<std::uint64_t>{first, second});
}
