// The size coding of snapshot format 4: text columns (dictionary and
// front-coding, common/src/snapshot_text.hpp) on their own and through the
// codec, and the contact-to-address references.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "invites/error.hpp"
#include "invites/snapshot_codec.hpp"
#include "random_dataset.hpp"
#include "snapshot_text.hpp"

using namespace invites;
using snapshot_bytes::Reader;
using snapshot_bytes::Writer;

namespace {

// A byte string written as a literal, NULs included.
template <std::size_t N>
std::string raw(const char (&text)[N]) {
  return std::string(text, N - 1);
}

std::string written(const std::vector<std::string>& values, bool dictionary) {
  Writer w;
  snapshot_text::write_text(
      w, values.size(), [&](std::size_t i) { return std::string_view(values[i]); }, dictionary);
  return std::move(w.str());
}

Reader reader_of(const std::string& bytes) {
  return Reader(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), "test column");
}

std::vector<std::string> read_back(const std::string& bytes, std::size_t n) {
  Reader r = reader_of(bytes);
  snapshot_text::TextReader text(r, n);
  r.expect_end();
  std::string out(text.total_bytes(), '\0');
  std::vector<std::string> values;
  std::size_t at = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t start = at;
    text.write_next(out.data(), at);
    values.push_back(out.substr(start, at - start));
  }
  CHECK(at == out.size());
  return values;
}

std::string error_of(const std::string& bytes, std::size_t n) {
  try {
    Reader r = reader_of(bytes);
    snapshot_text::TextReader text(r, n);
    r.expect_end();
  } catch (const SnapshotFormatError& e) {
    return e.what();
  }
  return "<read>";
}

}  // namespace

TEST_CASE("text columns round-trip, with and without a dictionary") {
  const std::vector<std::vector<std::string>> cases = {
      {},
      {""},
      {"", "", ""},
      {"only"},
      {"abc", "abcd", "abc", "ab", "", "abcdef", "abcdef"},                // shared prefixes, longer and shorter
      {"Chloé", "Chloé", "Müller", "Mü", "\xE2\x84\xAA", "Zoë", "Chloé"},  // non-ASCII, cut inside a character
      {"A100001", "A100002", "A100010", "A1000100", "B1"},
      {std::string("nul\0inside", 10), std::string("nul\0", 4)},
  };
  for (const auto& values : cases)
    for (const bool dictionary : {false, true}) {
      INFO(values.size() << " values, dictionary " << dictionary);
      CHECK(read_back(written(values, dictionary), values.size()) == values);
    }
}

TEST_CASE("repeated values go through the dictionary, most frequent first") {
  const std::vector<std::string> names = {"Smith", "Kim", "Smith", "Okafor", "Kim", "Smith"};
  const std::string bytes = written(names, true);
  // n, 2 entries (Smith then Kim: 5 + 3 bytes), codes 1 2 1 0 2 1, one literal.
  const std::string expected = raw("\x06\x02\x05\x03\x08SmithKim\x01\x02\x01\x00\x02\x01\x01\x00\x06\x06Okafor");
  CHECK(bytes == expected);
  CHECK(read_back(bytes, names.size()) == names);
  // Without repeats there is no dictionary and no codes.
  CHECK(written({"b", "ba"}, true) == raw("\x02\x00\x00\x02\x00\x01\x01\x01\x02\x62\x61"));
}

TEST_CASE("a damaged text column is refused, never over-read") {
  const std::string good = written({"abc", "abd"}, false);  // 2 | 0 0 | 2 | 0 2 | 3 1 | 4 abcd
  REQUIRE(good == raw("\x02\x00\x00\x02\x00\x02\x03\x01\x04"
                      "abcd"));
  CHECK_THAT(error_of(good, 3), Catch::Contains("has 2 values, expected 3"));

  std::string shares_too_much = good;
  shares_too_much[5] = 4;  // the second literal shares 4 bytes of a 3-byte predecessor
  CHECK_THAT(error_of(shares_too_much, 2), Catch::Contains("shares 4 bytes with one of 3"));

  std::string first_shares = good;
  first_shares[4] = 1;  // the first literal has no predecessor to share with
  CHECK_THAT(error_of(first_shares, 2), Catch::Contains("shares 1 bytes with one of 0"));

  std::string overlong = good;
  overlong[6] = 100;  // a rest longer than the bytes left
  CHECK_THAT(error_of(overlong, 2), Catch::Contains("overlong literal"));

  std::string wrong_total = good;
  wrong_total[8] = 5;
  CHECK_THAT(error_of(wrong_total, 2), Catch::Contains("do not add up"));

  std::string wrong_literals = good;
  wrong_literals[3] = 1;
  CHECK_THAT(error_of(wrong_literals, 2), Catch::Contains("literal count"));

  const std::string coded = written({"x", "x"}, true);  // 2 | 1 1 1 x | 1 1 | 0 | 0
  REQUIRE(coded == raw("\x02\x01\x01\x01x\x01\x01\x00\x00"));
  std::string bad_code = coded;
  bad_code[5] = 2;  // names a second entry that does not exist
  CHECK_THAT(error_of(bad_code, 2), Catch::Contains("out-of-range dictionary code"));

  for (std::size_t cut = 0; cut < good.size(); ++cut) CHECK(error_of(good.substr(0, cut), 2) != "<read>");
  for (std::size_t cut = 0; cut < coded.size(); ++cut) CHECK(error_of(coded.substr(0, cut), 2) != "<read>");
}

TEST_CASE("format 4 edge cases survive encode and decode") {
  SECTION("zero contacts") {
    SnapshotBuilder builder;
    builder.add_account({.id = 1, .account_number = "", .name = ""});
    const Snapshot s = std::move(builder).build(7);
    CHECK(SnapshotCodec::decode(SnapshotCodec::encode(s)) == s);
  }
  SECTION("one contact") {
    SnapshotBuilder builder;
    builder.add_account({.id = 3, .account_number = "N-3", .name = "Ünïcode Ltd"});
    builder.add_contact({.id = 9, .account_id = 3, .email = "zoë@exämple.com", .first_name = "Zoë"});
    builder.add_portal_user({"zoë@exämple.com", PortalStatus::invited, 1'700'000'000});
    const Snapshot s = std::move(builder).build(8);
    REQUIRE(s.email_count() == 1);
    CHECK(SnapshotCodec::decode(SnapshotCodec::encode(s)) == s);
  }
  SECTION("addresses sharing prefixes, without or with several '@', empty names, sparse references") {
    SnapshotBuilder builder;
    builder.add_account({.id = 1, .account_number = "A1", .name = "Same"});
    builder.add_account({.id = 2, .account_number = "A10", .name = "Same"});
    const std::vector<std::string> addresses = {"a@x.com",   "a@x.co", "ab@x.com", "a.b@x.com", "plain",
                                                "a@b@x.com", "@x.com", "a@",       "zz@y.org",  "a@x.com.au"};
    Id id = 0;
    for (int round = 0; round < 30; ++round)  // far apart: beyond the reference window too
      for (std::size_t k = 0; k < addresses.size(); ++k) {
        const auto& address = addresses[(k * 7 + static_cast<std::size_t>(round)) % addresses.size()];
        builder.add_contact({.id = ++id,
                             .account_id = 1 + (id % 2),
                             .email = round % 3 == 0 && k % 2 ? std::nullopt : std::optional<std::string>(address),
                             .first_name = k % 4 ? "" : "Ann",
                             .last_name = "Lee"});
        for (int gap = 0; gap < round; ++gap) builder.add_contact({.id = ++id, .account_id = 1});  // no address
      }
    builder.add_portal_user({"a@x.com", PortalStatus::active, 0});
    builder.add_portal_user({"plain", PortalStatus::invited, 1});
    builder.add_portal_user({"a@", PortalStatus::invited, 4'000'000'000'000});
    const Snapshot s = std::move(builder).build(9);
    REQUIRE(s.email_count() == addresses.size());
    CHECK(SnapshotCodec::decode(SnapshotCodec::encode(s)) == s);
  }
}

TEST_CASE("random address assignments survive encode and decode") {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    auto data = testing::generate_dataset({.accounts = 300, .seed = seed});
    Snapshot s = testing::snapshot_of(data, 1);
    // Addresses far from their neighbours' (no useful reference) and many contacts without one.
    testing::Rng rng(seed);
    for (auto& address : s.contact_email)
      address = rng.chance(0.3) ? no_email : static_cast<std::uint32_t>(rng.below(s.email_count()));
    s.derive_indexes();
    CHECK(SnapshotCodec::decode(SnapshotCodec::encode(s)) == s);
  }
}
