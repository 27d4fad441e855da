// Snapshot format 5 (common/src/snapshot_names.hpp): account names made from
// their first contact's names, and last names shared with it, travel as marks;
// everything else as text. Decoding gives the same snapshot either way, and a
// damaged mark is a clear error.
#include <catch2/catch.hpp>

#include <string>

#include "invites/error.hpp"
#include "invites/snapshot_codec.hpp"
#include "random_dataset.hpp"
#include "snapshot_bytes.hpp"
#include "snapshot_names.hpp"
#include "snapshot_surgery.hpp"

using namespace invites;

namespace {

// The first two varints of a section's body: its row count and how many rows are marked.
std::pair<std::uint64_t, std::uint64_t> rows_and_marks(const std::string& bytes, const char* section) {
  const auto body = testing::section_body(bytes, section);
  snapshot_bytes::Reader r(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()) + body.offset, body.length),
                           section);
  const std::uint64_t rows = r.varint();
  return {rows, r.varint()};
}

std::string error_of(const std::string& bytes) {
  try {
    SnapshotCodec::decode(bytes);
  } catch (const SnapshotFormatError& e) {
    return e.what();
  }
  return "<decoded>";
}

}  // namespace

TEST_CASE("names made from the first contact's travel as marks and come back exact") {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const auto data = testing::generate_dataset(
        {.accounts = 1500, .seed = seed, .named_after_contact_share = 0.7, .family_last_name_share = 0.5});
    const Snapshot s = testing::snapshot_of(data);
    const std::string bytes = SnapshotCodec::encode(s);
    CHECK(SnapshotCodec::decode(bytes) == s);
    const auto [accounts, predicted] = rows_and_marks(bytes, "account_name");
    CHECK(accounts == s.account_count());
    CHECK(predicted * 10 > accounts * 6);  // ~70 % of the accounts, those with contacts
    const auto [contacts, shared] = rows_and_marks(bytes, "contact_last_name");
    CHECK(contacts == s.contact_count());
    CHECK(shared * 10 > contacts * 2);

    // The same accounts named otherwise cost more.
    Snapshot renamed = s;
    StringColumn names;
    for (std::size_t a = 0; a < s.account_count(); ++a) names.push_back(std::string(s.account_name[a]) + "!");
    renamed.account_name = std::move(names);
    CHECK(SnapshotCodec::encode(renamed).size() > bytes.size() + s.account_count() * 2);
  }
}

TEST_CASE("without enough predictable names there are no marks") {
  const auto data = testing::generate_dataset({.accounts = 800, .seed = 9, .named_after_contact_share = 0.02});
  const Snapshot s = testing::snapshot_of(data);
  const std::string bytes = SnapshotCodec::encode(s);
  CHECK(rows_and_marks(bytes, "account_name").second == 0);  // one account in 50 is under one in 16
  CHECK(rows_and_marks(bytes, "contact_last_name").second == 0);
  CHECK(SnapshotCodec::decode(bytes) == s);
}

TEST_CASE("predicted names: the first contact is the lowest id, whatever the order of arrival") {
  SnapshotBuilder builder;
  // Later contacts arrive first; account 3 has no contact; unusual names.
  builder.add_account({.id = 1, .account_number = "1", .name = "Lee, Ann"});
  builder.add_account({.id = 2, .account_number = "2", .name = "Mary Ann de la Cruz"});
  builder.add_account({.id = 3, .account_number = "3", .name = "Lee, Ann"});
  builder.add_account({.id = 4, .account_number = "4", .name = "Ørsted, "});
  builder.add_account({.id = 5, .account_number = "5", .name = "Lee, Bo"});  // its first contact is Ann
  builder.add_contact({.id = 20, .account_id = 1, .email = "bo@x.com", .first_name = "Bo", .last_name = "Lee"});
  builder.add_contact({.id = 10, .account_id = 1, .email = "ann@x.com", .first_name = "Ann", .last_name = "Lee"});
  builder.add_contact({.id = 11, .account_id = 2, .first_name = "Mary Ann", .last_name = "de la Cruz"});
  builder.add_contact({.id = 12, .account_id = 2, .first_name = "Jo", .last_name = "de la Cruz"});
  builder.add_contact({.id = 13, .account_id = 4, .first_name = "", .last_name = "Ørsted"});
  builder.add_contact({.id = 14, .account_id = 5, .first_name = "Ann", .last_name = "Lee"});
  builder.add_contact({.id = 15, .account_id = 5, .first_name = "Bo", .last_name = "Lee"});
  const Snapshot s = std::move(builder).build(5);
  const std::string bytes = SnapshotCodec::encode(s);
  CHECK(rows_and_marks(bytes, "account_name") == std::pair<std::uint64_t, std::uint64_t>{5, 3});
  CHECK(rows_and_marks(bytes, "contact_last_name") == std::pair<std::uint64_t, std::uint64_t>{7, 3});
  CHECK(SnapshotCodec::decode(bytes) == s);

  // Account 3 (index 2) has no contact to be named after.
  const auto body = testing::section_body(bytes, "account_name");
  std::string marked = bytes;
  marked[body.offset + 2 + 2] = 1;  // past the two one-byte counts: the kind of index 2
  testing::reseal(marked);
  CHECK_THAT(error_of(marked), Catch::Contains("account 2 is named after a first contact it does not have"));
}

TEST_CASE("damaged name marks are clear errors") {
  const auto data = testing::generate_dataset(
      {.accounts = 300, .seed = 3, .named_after_contact_share = 0.7, .family_last_name_share = 0.5});
  const Snapshot s = testing::snapshot_of(data);
  const std::string original = SnapshotCodec::encode(s);
  const auto first_contacts = snapshot_names::first_contacts(s.contact_account, s.account_count());
  // Past the row count and the count of marks: where the marks start.
  const auto marks_at = [&](const char* section) {
    const auto body = testing::section_body(original, section);
    snapshot_bytes::Reader r(
        std::span(reinterpret_cast<const std::uint8_t*>(original.data()) + body.offset, body.length), section);
    r.varint();
    r.varint();
    return body.offset + r.position();  // the first kind byte, or the first byte of the bitmap
  };
  const auto edited = [&](std::size_t at, std::uint8_t value) {
    std::string bytes = original;
    bytes[at] = static_cast<char>(value);
    testing::reseal(bytes);
    return error_of(bytes);
  };

  const std::size_t kinds = marks_at("account_name");
  CHECK_THAT(edited(kinds, 3), Catch::Contains("unknown kind 3 of account name 0"));
  std::size_t literal = 0;
  for (std::size_t a = 0; a < s.account_count(); ++a)
    if (first_contacts[a] != snapshot_names::no_contact && original[kinds + a] == 0) {
      literal = a;
      break;
    }
  REQUIRE(original[kinds + literal] == 0);
  CHECK_THAT(edited(kinds + literal, 1), Catch::Contains("names are marked predicted, the section says"));

  const std::size_t bits = marks_at("contact_last_name");
  // Contact 0 is the first contact of its account: marking it is refused.
  CHECK_THAT(edited(bits, static_cast<std::uint8_t>(original[bits] | 1)),
             Catch::Contains("contact 0 is marked as sharing its own last name"));
  const std::size_t bitmap_bytes = (s.contact_count() + 7) / 8;
  if (const std::size_t used = s.contact_count() % 8; used != 0)
    CHECK_THAT(
        edited(bits + bitmap_bytes - 1, static_cast<std::uint8_t>(original[bits + bitmap_bytes - 1] | 1u << used)),
        Catch::Contains("past the last contact"));
  // The total of the shared names' bytes follows the bitmap.
  const std::uint8_t total_first_byte = static_cast<std::uint8_t>(original[bits + bitmap_bytes]);
  CHECK_THAT(edited(bits + bitmap_bytes, static_cast<std::uint8_t>(total_first_byte ^ 1)),
             Catch::Contains("do not add up"));
}
