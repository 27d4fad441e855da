// The SPEC §2 promise, checked against a real MariaDB: for random data full
// of edge cases and hundreds of random filters, the SQL path (MariaDB runs the
// rules) and the in-memory path (the snapshot evaluator over a snapshot read
// from the same rows) give identical counts, recipient lists and digests, and
// both agree with the plain reference grouping over the generated rows.
#include <catch2/catch.hpp>

#include <atomic>
#include <memory>

#include <cppconn/prepared_statement.h>
#include <nlohmann/json.hpp>

#include "db/connection.hpp"
#include "db/migrations.hpp"
#include "dataset_writer.hpp"
#include "invites/evaluator.hpp"
#include "invites/snapshot_codec.hpp"
#include "random_dataset.hpp"
#include "repository/recipient_query.hpp"
#include "repository/snapshot_loader.hpp"
#include "support/test_database.hpp"

using namespace invites;

namespace {

void require_same(const RecipientList& actual, const RecipientList& expected) {
  REQUIRE(actual.counts == expected.counts);
  REQUIRE(actual.rows.size() == expected.rows.size());
  for (std::size_t i = 0; i < actual.rows.size(); ++i) {
    INFO("row " << i << ": " << actual.rows[i].email << " vs " << expected.rows[i].email);
    REQUIRE(actual.rows[i] == expected.rows[i]);
  }
  REQUIRE(actual.digest == expected.digest);
}

}  // namespace

TEST_CASE("SQL and in-memory evaluation agree on random data and filters", "[mariadb]") {
  testing::TestDatabase database;
  auto connection = db::connect(database.url());
  db::migrate(*connection);

  for (std::uint64_t seed : {101u, 202u}) {
    DYNAMIC_SECTION("data set seed " << seed) {
      auto data = testing::generate_dataset({.accounts = 1500, .seed = seed});
      // Start from empty tables for each data set.
      for (const char* table :
           {"address_suppressions", "delivery_outcomes", "portal_users", "contacts", "services", "sites", "accounts",
            "site_sources", "account_sources", "bill_groups", "account_classes", "divisions"})
        db::execute(*connection, std::string("DELETE FROM ") + table);
      testing::write_dataset(*connection, data);

      // The snapshot goes through the codec, as it does on its way to a browser.
      Snapshot snapshot = SnapshotCodec::decode(SnapshotCodec::encode(repository::load_snapshot(*connection)));
      REQUIRE(snapshot.contact_count() == data.contacts.size());
      REQUIRE(snapshot.account_count() == data.accounts.size());
      // The loader (rows streamed in id order into the builder's fast path)
      // gives the snapshot the builder makes of the same rows in any order.
      CHECK(snapshot == testing::snapshot_of(data, snapshot.generated_at));
      {
        // A set cancel flag stops a load (on a connection of its own: a
        // cancelled load leaves its read transaction open).
        auto other = db::connect(database.url());
        const std::atomic<bool> cancel{true};
        CHECK_THROWS_AS(repository::load_snapshot(*other, cancel), repository::SnapshotLoadCancelled);
      }
      auto portal = testing::portal_lookup_of(data);

      testing::Rng rng(seed * 7);
      for (int i = 0; i < 200; ++i) {
        Filter filter = i == 0 ? Filter{} : testing::random_filter(rng, data);
        INFO("filter " << i << ": " << filter_to_json(filter).dump());
        RecipientList from_sql = repository::query_recipients(*connection, filter);
        RecipientList from_snapshot = to_recipient_list(snapshot, evaluate(snapshot, filter));
        RecipientList reference = group_candidates(testing::candidates_of(data, filter), portal);
        require_same(from_sql, reference);
        require_same(from_snapshot, reference);
        // The data set has every group, the fifth (SPEC §11) included.
        if (i == 0)
          for (Group group : all_groups) CHECK(reference.counts.of(group) > 0);
      }
    }
  }
}

TEST_CASE("the tricky addresses are judged alike by MariaDB and common/", "[mariadb]") {
  testing::TestDatabase database;
  auto connection = db::connect(database.url());
  db::migrate(*connection);
  db::execute(*connection, "INSERT INTO divisions (id, name) VALUES (1, 'D')");
  db::execute(*connection, "INSERT INTO accounts (id, account_number, name, division_id) VALUES (1, 'A1', 'One', 1)");

  const std::vector<std::optional<std::string>> emails = {
      std::nullopt,
      "",
      " ",
      "\t",
      "ok@x.com",
      " Ok@X.Com\t",
      "\r\nok@x.com\n",
      "a..b@x.com",
      "a@b",
      "a@-b.com",
      "\"q\"@x.com",
      std::string(64, 'l') + "@x.com",
      std::string(65, 'l') + "@x.com",
      "j\xC3\xB6rg@x.com",
      "\xE2\x84\xAA"
      "elvin@x.com",
      "\xC4\xB0nci@x.com",
      "x@y.c",
      "x@y.co",
      "x@y.c0",
      "A@B.CO.UK",
      "x@" + std::string(63, 'd') + ".io",
      "x@" + std::string(64, 'd') + ".io",
      "!#$%&'*+/=?^_`{|}~-@x.com",
      "a@b_c.com",
      "a@@b.com",
      "tab\t@x.com",
      "a.@x.com",
  };
  Id id = 0;
  testing::Dataset data;
  data.accounts.push_back({1, "A1", "One", 1, 0, 0, 0, 0, false});
  for (const auto& email : emails) {
    ++id;
    std::unique_ptr<sql::PreparedStatement> statement(
        connection->prepareStatement("INSERT INTO contacts (id, account_id, email) VALUES (?, 1, ?)"));
    statement->setInt(1, static_cast<std::int32_t>(id));
    if (email)
      statement->setString(2, *email);
    else
      statement->setNull(2, 0);
    statement->executeUpdate();
    data.contacts.push_back({id, 1, "", "", email, false});
  }
  RecipientList from_sql = repository::query_recipients(*connection, {});
  RecipientList reference =
      group_candidates(testing::candidates_of(data, {}), [](std::string_view) { return AddressStanding{}; });
  require_same(from_sql, reference);
  CHECK(reference.counts.new_users == 6);
}
