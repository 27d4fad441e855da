#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "invites/error.hpp"
#include "invites/snapshot_codec.hpp"
#include "random_dataset.hpp"
#include "snapshot_surgery.hpp"

using namespace invites;

TEST_CASE("a snapshot survives encode and decode unchanged") {
  auto data = testing::generate_dataset({.accounts = 500, .seed = 7});
  Snapshot snapshot = testing::snapshot_of(data, 1'750'000'123);
  REQUIRE(snapshot.contact_count() > 500);
  std::string bytes = SnapshotCodec::encode(snapshot);
  Snapshot decoded = SnapshotCodec::decode(bytes);
  CHECK(decoded == snapshot);
  CHECK(decoded.generated_at == 1'750'000'123);
  CHECK(SnapshotCodec::encode(decoded) == bytes);
}

TEST_CASE("the streamed encoding is encode() in bounded pieces, after a layout pass") {
  auto data = testing::generate_dataset({.accounts = 15000, .seed = 8});
  Snapshot snapshot = testing::snapshot_of(data, 1'750'000'456);
  // Newer portal statuses beside the snapshot, as a server keeps them.
  std::vector<PortalStatus> status(snapshot.email_status.begin(), snapshot.email_status.end());
  std::vector<std::int64_t> invited(snapshot.email_last_invited_at.begin(), snapshot.email_last_invited_at.end());
  status[0] = PortalStatus::active;
  invited[1] = 1'750'000'000;
  CHECK_THROWS_WITH(SnapshotCodec::encode(snapshot, PortalColumns{status, invited}),
                    Catch::Contains("0 suppression flags") && Catch::Contains("do not match"));
  for (const PortalColumns portal :
       {portal_columns(snapshot), PortalColumns{status, invited, snapshot.email_suppressed}}) {
    const std::string whole = SnapshotCodec::encode(snapshot, portal);
    const SnapshotLayout layout = SnapshotCodec::layout(snapshot, portal);
    CHECK(layout.size == whole.size());
    std::string streamed;
    std::size_t pieces = 0, largest = 0;
    SnapshotCodec::encode(snapshot, portal, layout, [&](std::string_view piece) {
      streamed += piece;
      ++pieces;
      largest = std::max(largest, piece.size());
    });
    CHECK(streamed == whole);
    CHECK(pieces > 1);
    CHECK(largest <= 320 * 1024);
  }
  // The digest follows the content: other statuses, another digest.
  CHECK(SnapshotCodec::layout(snapshot, portal_columns(snapshot)).digest !=
        SnapshotCodec::layout(snapshot, {status, invited, snapshot.email_suppressed}).digest);
  // A layout of other data is refused rather than streamed as a corrupt file.
  Snapshot other = testing::snapshot_of(testing::generate_dataset({.accounts = 10, .seed = 1}), 5);
  const auto other_layout = SnapshotCodec::layout(other, portal_columns(other));
  CHECK_THROWS_AS(SnapshotCodec::encode(snapshot, portal_columns(snapshot), other_layout, [](std::string_view) {}),
                  std::logic_error);
}

TEST_CASE("one layout base serves every set of portal columns of its snapshot") {
  Snapshot snapshot = testing::snapshot_of(testing::generate_dataset({.accounts = 3000, .seed = 9}), 1'750'000'789);
  const SnapshotLayoutBase base = SnapshotCodec::layout_base(snapshot);
  const std::size_t emails = snapshot.email_count();
  REQUIRE(emails > 100);
  std::vector<PortalStatus> status(snapshot.email_status.begin(), snapshot.email_status.end());
  std::vector<std::int64_t> invited(snapshot.email_last_invited_at.begin(), snapshot.email_last_invited_at.end());
  std::vector<std::uint8_t> suppressed(snapshot.email_suppressed.begin(), snapshot.email_suppressed.end());
  std::vector<PortalStatus> all_invited(emails, PortalStatus::invited);
  std::vector<std::int64_t> times(emails, 1'750'000'000);
  std::vector<std::uint8_t> none_suppressed(emails, 0);
  for (std::size_t i = 0; i < emails; i += 7) status[i] = PortalStatus::active;
  for (std::size_t i = 3; i < emails; i += 5) invited[i] = 1'740'000'000 + static_cast<std::int64_t>(i);
  suppressed[emails - 1] = 1;
  std::vector<std::uint64_t> digests;
  for (const PortalColumns portal : {portal_columns(snapshot), PortalColumns{status, invited, suppressed},
                                     PortalColumns{all_invited, times, none_suppressed}}) {
    const SnapshotLayout layout = SnapshotCodec::layout(snapshot, portal, base);
    // The whole encoding, made in one piece without a layout, is what the layout describes.
    const std::string whole = SnapshotCodec::encode(snapshot, portal);
    CHECK(layout.size == whole.size());
    std::string streamed;
    SnapshotCodec::encode(snapshot, portal, layout, [&](std::string_view piece) { streamed += piece; });
    CHECK(streamed == whole);
    const Snapshot decoded = SnapshotCodec::decode(streamed);  // checks the checksum in the header
    CHECK(std::equal(decoded.email_status.begin(), decoded.email_status.end(), portal.status.begin()));
    CHECK(std::equal(decoded.email_last_invited_at.begin(), decoded.email_last_invited_at.end(),
                     portal.last_invited_at.begin()));
    digests.push_back(layout.digest);
  }
  std::sort(digests.begin(), digests.end());
  CHECK(std::adjacent_find(digests.begin(), digests.end()) == digests.end());
  // Portal columns of another length, or the base of another snapshot, are refused.
  const std::vector<PortalStatus> short_status(emails - 1, PortalStatus::invited);
  CHECK_THROWS_AS(SnapshotCodec::layout(snapshot, {short_status, times, none_suppressed}, base), std::invalid_argument);
  Snapshot other = testing::snapshot_of(testing::generate_dataset({.accounts = 10, .seed = 1}), 5);
  CHECK_THROWS_WITH(SnapshotCodec::layout(other, portal_columns(other), base),
                    Catch::Contains("layout base") && Catch::Contains("not this snapshot's"));
}

TEST_CASE("an empty snapshot round-trips") {
  Snapshot empty = SnapshotBuilder().build(0);
  CHECK(SnapshotCodec::decode(SnapshotCodec::encode(empty)) == empty);
}

TEST_CASE("the builder normalizes, dedupes addresses and resolves portal users") {
  SnapshotBuilder builder;
  builder.add_account(
      {.id = 9, .division_id = 1, .site_source_ids = {3, 0, 3, 1}, .account_number = "N9", .name = "Nine"});
  builder.add_contact({.id = 5, .account_id = 9, .email = " B@X.com", .first_name = "B"});
  builder.add_contact({.id = 2, .account_id = 9, .email = "b@x.COM", .first_name = "b"});
  builder.add_contact({.id = 3, .account_id = 9, .email = std::nullopt});
  builder.add_portal_user({"b@x.com", PortalStatus::invited, 1234});
  builder.add_portal_user({"ghost@x.com", PortalStatus::active, 0});
  builder.append_suppression("b@x.com");
  builder.append_suppression("nobody@x.com");  // no contact has it: ignored
  Snapshot s = std::move(builder).build(1);
  CHECK(s.email_suppressed == std::vector<std::uint8_t>{1});
  CHECK(SnapshotCodec::decode(SnapshotCodec::encode(s)).email_suppressed == s.email_suppressed);
  CHECK(s.contact_id == std::vector<Id>{2, 3, 5});
  REQUIRE(s.email_count() == 1);
  CHECK(s.email[0] == "b@x.com");
  CHECK(s.contact_email == std::vector<std::uint32_t>{0, no_email, 0});
  CHECK(s.email_status[0] == PortalStatus::invited);
  CHECK(s.email_last_invited_at[0] == 1234);
  CHECK(s.site_source_ids == std::vector<Id>{1, 3});
  CHECK(s.find_email("b@x.com") == 0u);
  CHECK_FALSE(s.find_email("ghost@x.com").has_value());
  CHECK(s.find_contact(5) == 2u);
}

TEST_CASE("the builder rejects inconsistent rows") {
  SnapshotBuilder orphan;
  orphan.add_contact({.id = 1, .account_id = 42});
  CHECK_THROWS_AS(std::move(orphan).build(0), ValidationError);
  SnapshotBuilder twice;
  twice.add_account({.id = 1});
  twice.add_account({.id = 1});
  CHECK_THROWS_AS(std::move(twice).build(0), ValidationError);
}

TEST_CASE("the encoding is compact") {
  auto data = testing::generate_dataset({.accounts = 5000, .seed = 3});
  Snapshot snapshot = testing::snapshot_of(data);
  std::size_t text_bytes = snapshot.email.byte_size() + snapshot.contact_first_name.byte_size() +
                           snapshot.contact_last_name.byte_size() + snapshot.account_name.byte_size() +
                           snapshot.account_number.byte_size();
  std::size_t encoded = SnapshotCodec::encode(snapshot).size();
  // Format 4 codes the text for size: the whole encoding, text included, is
  // under two thirds of the text alone (repeated names, sorted addresses).
  INFO("text " << text_bytes << " bytes, encoded " << encoded << " bytes");
  CHECK(encoded * 3 < text_bytes * 2);
  CHECK(static_cast<double>(encoded) / static_cast<double>(snapshot.contact_count()) <= 40.0);
}

TEST_CASE("damaged buffers are clear errors") {
  auto data = testing::generate_dataset({.accounts = 50, .seed = 11});
  std::string bytes = SnapshotCodec::encode(testing::snapshot_of(data));

  auto error_of = [](const std::string& buffer) -> std::string {
    try {
      SnapshotCodec::decode(buffer);
    } catch (const SnapshotFormatError& e) {
      return e.what();
    }
    return "<decoded>";
  };
  CHECK_THAT(error_of(""), Catch::Contains("too short"));
  CHECK_THAT(error_of(bytes.substr(0, bytes.size() - 1)), Catch::Contains("does not match"));
  CHECK_THAT(error_of(bytes + "x"), Catch::Contains("does not match"));

  std::string bad_magic = bytes;
  bad_magic[0] = 'X';
  CHECK_THAT(error_of(bad_magic), Catch::Contains("bad magic"));

  std::string future = bytes;
  future[8] = 9;
  CHECK_THAT(error_of(future), Catch::Contains("version 9 is not supported"));

  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x40;
  CHECK_THAT(error_of(flipped), Catch::Contains("checksum mismatch"));
}

TEST_CASE("site sources: a byte of bits per account when every id is 1-8, else listed") {
  const auto encoded_with = [](std::vector<Id> sources_of_second) {
    SnapshotBuilder builder;
    builder.add_account({.id = 1, .site_source_ids = {3, 1, 8, 3}, .account_number = "1"});
    builder.add_account({.id = 2, .site_source_ids = std::move(sources_of_second), .account_number = "2"});
    builder.add_account({.id = 3, .account_number = "3"});
    const Snapshot s = std::move(builder).build(1);
    const std::string bytes = SnapshotCodec::encode(s);
    CHECK(SnapshotCodec::decode(bytes) == s);
    return std::make_pair(s, bytes);
  };
  const auto [small, as_bits] = encoded_with({2, 0});
  CHECK(small.site_source_ids == std::vector<Id>{1, 3, 8, 2});
  const auto bits_body = testing::section_body(as_bits, "account_site_sources");
  CHECK(bits_body.length == 1 + 1 + 3);  // the count, the coding, a byte per account
  CHECK(as_bits[bits_body.offset + 2] == static_cast<char>(0b1000'0101));

  const auto [large, listed] = encoded_with({9, 12});
  CHECK(large.site_source_ids == std::vector<Id>{1, 3, 8, 9, 12});
  CHECK(testing::section_body(listed, "account_site_sources").length > bits_body.length);

  std::string unknown = as_bits;
  unknown[bits_body.offset + 1] = 7;
  testing::reseal(unknown);
  CHECK_THROWS_WITH(SnapshotCodec::decode(unknown), Catch::Contains("unknown site source coding 7"));
}

TEST_CASE("small columns: several rows to a byte when every value fits, else a varint per row") {
  const auto encoded_with_class_of_third = [](Id account_class) {
    SnapshotBuilder builder;
    builder.add_account(
        {.id = 1, .division_id = 2, .account_class_id = 1, .has_active_service = true, .account_number = "1"});
    builder.add_account({.id = 2, .division_id = 3, .account_class_id = 5, .autopay = true, .account_number = "2"});
    builder.add_account({.id = 3, .division_id = 1, .account_class_id = account_class, .account_number = "3"});
    for (Id c = 1; c <= 9; ++c) builder.add_contact({.id = c, .account_id = 1 + c % 3, .is_billing = c % 2 == 0});
    const Snapshot s = std::move(builder).build(1);
    const std::string bytes = SnapshotCodec::encode(s);
    CHECK(SnapshotCodec::decode(bytes) == s);
    return bytes;
  };
  const std::string packed = encoded_with_class_of_third(15);
  const auto division = testing::section_body(packed, "account_division");
  CHECK(division.length == 1 + 1 + 1);  // the count, 2 bits per row: the three rows in one byte
  CHECK(packed[division.offset + 1] == 2);
  CHECK(testing::section_body(packed, "account_class").length == 1 + 1 + 2);  // 4 bits per row
  const auto billing = testing::section_body(packed, "contact_is_billing");
  CHECK(billing.length == 1 + 1 + 2);  // a bit per contact: nine in two bytes
  CHECK(packed[billing.offset + 1] == 1);
  const std::string listed = encoded_with_class_of_third(300);
  const auto classes = testing::section_body(listed, "account_class");
  CHECK(listed[classes.offset + 1] == 0);
  CHECK(classes.length == 1 + 1 + 1 + 1 + 2);  // varints: 1, 5, 300

  const auto error_after = [&](const char* section, std::size_t at, std::uint8_t value) {
    std::string bytes = packed;
    bytes[testing::section_body(packed, section).offset + at] = static_cast<char>(value);
    testing::reseal(bytes);
    try {
      SnapshotCodec::decode(bytes);
    } catch (const SnapshotFormatError& e) {
      return std::string(e.what());
    }
    return std::string("<decoded>");
  };
  CHECK_THAT(error_after("account_division", 1, 3), Catch::Contains("unknown packing of 3 bits per row"));
  CHECK_THAT(error_after("account_division", 2, static_cast<std::uint8_t>(packed[division.offset + 2] | 0x40)),
             Catch::Contains("bits are set past the last row"));
  // Flags are three bits (4, 2 and 0 here, so 4 bits per row): 8 is out of range.
  CHECK_THAT(error_after("account_flags", 2, 0x08), Catch::Contains("value 8 out of range"));
  CHECK_THAT(error_after("contact_is_billing", 0, 8), Catch::Contains("has 8 entries, expected 9"));
}
