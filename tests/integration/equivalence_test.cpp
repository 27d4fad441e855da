// The docs/design.md §2 promise, checked against a real MariaDB: for random data full
// of edge cases and hundreds of random filters, the SQL path (MariaDB runs the
// rules) and the in-memory path (the snapshot evaluator over a snapshot read
// from the same rows) give identical counts, recipient lists and digests, and
// both agree with the plain reference grouping over the generated rows.
#include <catch2/catch.hpp>

#include <atomic>
#include <functional>
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

// The first difference between two results, "" when they are the same.
std::string difference(const RecipientList& actual, const RecipientList& expected) {
  if (!(actual.counts == expected.counts))
    return "counts " + counts_to_json(actual.counts).dump() + " vs " + counts_to_json(expected.counts).dump();
  if (actual.rows.size() != expected.rows.size()) return "row counts differ";
  for (std::size_t i = 0; i < actual.rows.size(); ++i) {
    const RecipientRow& a = actual.rows[i];
    const RecipientRow& e = expected.rows[i];
    if (!(a == e))
      return "row " + std::to_string(i) + ": " + std::string(group_name(a.group)) + " " + a.email + " #" +
             std::to_string(a.contact_id) + " vs " + std::string(group_name(e.group)) + " " + e.email + " #" +
             std::to_string(e.contact_id);
  }
  if (actual.digest != expected.digest) return "digests differ";
  return "";
}

// Empties the billing, portal and suppression tables and writes `data` into them.
void replace_dataset(sql::Connection& connection, const testing::Dataset& data) {
  for (const char* table :
       {"address_suppressions", "delivery_outcomes", "portal_users", "contacts", "services", "sites", "accounts",
        "site_sources", "account_sources", "bill_groups", "account_classes", "divisions"})
    db::execute(connection, std::string("DELETE FROM ") + table);
  testing::write_dataset(connection, data);
}

// No filter first, then `count - 1` random ones.
std::vector<Filter> filters_for(const testing::Dataset& data, std::uint64_t seed, int count) {
  testing::Rng rng(seed);
  std::vector<Filter> filters{Filter{}};
  while (static_cast<int>(filters.size()) < count) filters.push_back(testing::random_filter(rng, data));
  return filters;
}

using Path = std::function<RecipientList(const Filter&)>;

// Where `path` first differs from the reference grouping of `data`'s rows:
// the filter and the difference, "" when it agrees on every filter.
std::string first_divergence(const testing::Dataset& data, const std::vector<Filter>& filters, const Path& path) {
  const auto portal = testing::portal_lookup_of(data);
  for (const Filter& filter : filters) {
    const std::string found = difference(path(filter), group_candidates(testing::candidates_of(data, filter), portal));
    if (!found.empty()) return filter_to_json(filter).dump() + ": " + found;
  }
  return "";
}

}  // namespace

TEST_CASE("SQL and in-memory evaluation agree on random data and filters", "[mariadb]") {
  testing::TestDatabase database;
  auto connection = db::connect(database.url());
  db::migrate(*connection);

  for (std::uint64_t seed : {101u, 202u}) {
    DYNAMIC_SECTION("data set seed " << seed) {
      auto data = testing::generate_dataset({.accounts = 1500, .seed = seed});
      replace_dataset(*connection, data);

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

      const auto filters = filters_for(data, seed * 7, 200);
      for (std::size_t i = 0; i < filters.size(); ++i) {
        const Filter& filter = filters[i];
        INFO("filter " << i << ": " << filter_to_json(filter).dump());
        RecipientList from_sql = repository::query_recipients(*connection, filter);
        RecipientList from_snapshot = to_recipient_list(snapshot, evaluate(snapshot, filter));
        RecipientList reference = group_candidates(testing::candidates_of(data, filter), portal);
        REQUIRE(difference(from_sql, reference) == "");
        REQUIRE(difference(from_snapshot, reference) == "");
        // The data set has every group, the fifth (docs/design.md §11) included.
        if (i == 0)
          for (Group group : all_groups) CHECK(reference.counts.of(group) > 0);
      }
    }
  }
}

// Mutation checks for the test above: a path that gets any one rule or
// attribute wrong must differ from the reference on some of its filters,
// or agreement would prove nothing.
TEST_CASE("the equivalence check notices a path that breaks any one rule", "[mariadb]") {
  const auto data = testing::generate_dataset({.accounts = 1500, .seed = 101});
  const auto filters = filters_for(data, 101 * 7, 200);
  const Snapshot original = testing::snapshot_of(data);
  const auto evaluated = [](const Snapshot& snapshot) -> Path {
    return [&snapshot](const Filter& filter) { return to_recipient_list(snapshot, evaluate(snapshot, filter)); };
  };
  REQUIRE(first_divergence(data, filters, evaluated(original)) == "");

  // A contact whose valid address no other contact has, and its account:
  // a change to either decides whether that address is a recipient.
  std::uint32_t contact = 0;
  const auto sole_valid_address = [&](std::uint32_t c) {
    const std::uint32_t e = original.contact_email[c];
    return e != no_email && original.email_valid[e] &&
           original.email_contacts_begin[e + 1] - original.email_contacts_begin[e] == 1;
  };
  while (!sole_valid_address(contact) || original.site_source_begin[original.contact_account[contact]] ==
                                             original.site_source_begin[original.contact_account[contact] + 1])
    ++contact;
  const std::uint32_t account = original.contact_account[contact];
  const std::uint32_t address = original.contact_email[contact];
  const auto other_id = [](Id id) { return id % 3 + 1; };  // never id, never NULL
  // An address shared by several contacts: its lowest contact represents it.
  std::uint32_t shared = 0;
  while (!original.email_valid[shared] ||
         original.email_contacts_begin[shared + 1] - original.email_contacts_begin[shared] < 2)
    ++shared;
  // An address that would be mailed but for a suppression, or the reverse.
  std::uint32_t mailable = 0;
  while (!original.email_valid[mailable] || original.email_status[mailable] == PortalStatus::active ||
         original.email_status[mailable] == PortalStatus::disabled)
    ++mailable;

  const std::vector<std::pair<const char*, std::function<void(Snapshot&)>>> mutants{
      {"division", [&](Snapshot& s) { s.account_division[account] = other_id(s.account_division[account]); }},
      {"account class", [&](Snapshot& s) { s.account_class[account] = other_id(s.account_class[account]); }},
      {"bill group", [&](Snapshot& s) { s.account_bill_group[account] = other_id(s.account_bill_group[account]); }},
      {"account source", [&](Snapshot& s) { s.account_source[account] = other_id(s.account_source[account]); }},
      {"site source",
       [&](Snapshot& s) {
         for (auto i = s.site_source_begin[account]; i < s.site_source_begin[account + 1]; ++i)
           s.site_source_ids[i] = static_cast<Id>(data.site_sources.size() + 2);  // no filter lists it
       }},
      {"active service", [&](Snapshot& s) { s.account_flags[account] ^= account_flag::has_active_service; }},
      {"balance due", [&](Snapshot& s) { s.account_flags[account] ^= account_flag::balance_due; }},
      {"autopay", [&](Snapshot& s) { s.account_flags[account] ^= account_flag::autopay; }},
      {"billing contact", [&](Snapshot& s) { s.contact_is_billing[contact] ^= 1; }},
      {"address validity", [&](Snapshot& s) { s.email_valid[address] ^= 1; }},
      {"portal status",
       [&](Snapshot& s) {
         s.email_status[address] =
             s.email_status[address] == PortalStatus::none ? PortalStatus::invited : PortalStatus::none;
       }},
      {"suppression", [&](Snapshot& s) { s.email_suppressed[mailable] ^= 1; }},
      {"representative",
       [&](Snapshot& s) {
         const auto lowest = s.email_contacts[s.email_contacts_begin[shared]];
         const auto next = s.email_contacts[s.email_contacts_begin[shared] + 1];
         std::swap(s.contact_id[lowest], s.contact_id[next]);
       }},
  };
  for (const auto& [rule, mutate] : mutants) {
    INFO("snapshot path with a wrong " << rule);
    Snapshot mutated = original;
    mutate(mutated);
    mutated.derive_contact_indexes();
    CHECK(first_divergence(data, filters, evaluated(mutated)) != "");
  }

  // The SQL path over rows changed behind its back.
  testing::TestDatabase database;
  auto connection = db::connect(database.url());
  db::migrate(*connection);
  replace_dataset(*connection, data);
  const Path from_sql = [&](const Filter& filter) { return repository::query_recipients(*connection, filter); };
  const std::string contact_id = std::to_string(original.contact_id[contact]);
  const std::string other_account = std::to_string(original.account_id[account == 0 ? 1 : 0]);
  struct Change {
    const char* what;
    std::string change, undo;
  };
  const std::vector<Change> changes{
      {"billing flag", "UPDATE contacts SET is_billing = 1 - is_billing WHERE id = " + contact_id,
       "UPDATE contacts SET is_billing = 1 - is_billing WHERE id = " + contact_id},
      {"address", "UPDATE contacts SET email = CONCAT('x', email) WHERE id = " + contact_id,
       "UPDATE contacts SET email = SUBSTRING(email, 2) WHERE id = " + contact_id},
      {"account", "UPDATE contacts SET account_id = " + other_account + " WHERE id = " + contact_id,
       "UPDATE contacts SET account_id = " + std::to_string(original.account_id[account]) +
           " WHERE id = " + contact_id},
  };
  for (const auto& [what, change, undo] : changes) {
    INFO("SQL path reading a contact with a changed " << what);
    db::execute(*connection, change);
    CHECK(first_divergence(data, filters, from_sql) != "");
    db::execute(*connection, undo);
  }
  // Case and outer spaces are no change (normalization): the undone rows and
  // this one agree again (on the first 50 filters: SQL takes its time).
  db::execute(*connection, "UPDATE contacts SET email = CONCAT(' ', UPPER(email), '\t') WHERE id = " + contact_id);
  CHECK(first_divergence(data, {filters.begin(), filters.begin() + 50}, from_sql) == "");
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
  CHECK(difference(from_sql, reference) == "");
  CHECK(reference.counts.new_users == 6);
}
