// Fuzz-style checks: random and mutated input to the snapshot decoder and the
// filter parser must give a clear error or a usable value, never a crash or
// an over-read (this suite also runs under AddressSanitizer + UBSan).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>

#include <nlohmann/json.hpp>

#include "invites/error.hpp"
#include "invites/evaluator.hpp"
#include "invites/filter.hpp"
#include "invites/snapshot_codec.hpp"
#include "random_dataset.hpp"
#include "snapshot_surgery.hpp"

using namespace invites;

namespace {

using testing::reseal;
constexpr std::size_t payload_offset = testing::snapshot_payload_offset;

// What makes a decoded snapshot unusable, "" when nothing does. Each rule is
// recomputed here from the columns, independently of the evaluator: the
// snapshot re-encodes to itself; with no filter every contact is a candidate,
// so the counts, groups, representatives and digest follow from the contact
// and address columns alone; a narrower filter never finds more.
std::string inconsistency(const Snapshot& s) {
  if (!(SnapshotCodec::decode(SnapshotCodec::encode(s)) == s)) return "does not survive encode and decode";

  std::vector<std::uint32_t> lowest_contact(s.email_count(), no_email);  // per address
  std::uint64_t skipped = 0;
  for (std::uint32_t c = 0; c < s.contact_count(); ++c) {
    const std::uint32_t e = s.contact_email[c];
    if (e == no_email || !s.email_valid[e])
      ++skipped;
    else if (lowest_contact[e] == no_email)
      lowest_contact[e] = c;  // contacts ascend by id
  }
  const Evaluation all = evaluate(s, {});
  if (all.counts.skipped_invalid_email != skipped) return "skipped count differs from the contact column";
  if (all.skipped_contacts.size() != skipped) return "skipped contact list differs from the count";

  std::size_t grouped = 0;
  DigestBuilder digest;
  for (Group g : all_groups) {
    const auto& refs = all.groups[static_cast<std::size_t>(g)];
    if (all.counts.of(g) != refs.size()) return std::string(group_name(g)) + ": count differs from its list";
    for (std::size_t i = 0; i < refs.size(); ++i) {
      const RecipientRef r = refs[i];
      if (r.email >= s.email_count() || r.contact >= s.contact_count()) return "a recipient is out of range";
      if (i > 0 && !(refs[i - 1].email < r.email)) return std::string(group_name(g)) + " is not sorted and distinct";
      if (group_for(s.email_status[r.email], s.email_suppressed[r.email] != 0) != g)
        return "a recipient is in the wrong group";
      if (lowest_contact[r.email] != r.contact) return "a representative is not the lowest contact id";
      if (is_mailed(g)) digest.add(g, s.email[r.email]);
    }
    grouped += refs.size();
  }
  const auto with_contact =
      std::count_if(lowest_contact.begin(), lowest_contact.end(), [](std::uint32_t c) { return c != no_email; });
  if (grouped != static_cast<std::size_t>(with_contact)) return "a valid address with contacts is missing";
  if (all.digest != digest.finish()) return "the digest is not over the mailed groups";

  for (Group g : all_groups) {
    const RecipientPage page = page_recipients(s, all, {.group = g, .limit = 5, .query = "a"});
    if (page.rows.size() > 5 || page.total > all.counts.of(g)) return "a page is larger than its group";
  }
  const Evaluation narrower = evaluate(s, {.site_source_ids = {1, 2}, .billing_contacts_only = true});
  for (Group g : all_groups)
    if (narrower.counts.of(g) > all.counts.of(g)) return "a filter found more than no filter";
  if (narrower.counts.skipped_invalid_email > skipped) return "a filter skipped more than no filter";
  return "";
}

// True when the buffer decoded (to a consistent snapshot), false when the
// decoder refused it with an error that says it is about a snapshot.
bool decodes_consistently(const std::string& buffer) {
  Snapshot s;
  try {
    s = SnapshotCodec::decode(buffer);
  } catch (const SnapshotFormatError& e) {
    CHECK_THAT(e.what(), Catch::StartsWith("snapshot"));
    return false;
  }
  CHECK(inconsistency(s) == "");
  return true;
}

}  // namespace

TEST_CASE("the consistency rules hold for a built snapshot and catch a broken one") {
  auto data = testing::generate_dataset({.accounts = 60, .seed = 6});
  const Snapshot built = testing::snapshot_of(data);
  REQUIRE(inconsistency(built) == "");
  REQUIRE(evaluate(built, {}).counts.excluded_existing > 0);

  // Two contacts trade addresses in the columns but not in the derived
  // index the evaluator walks: the checker must notice.
  Snapshot broken = built;
  std::uint32_t other = 1;
  while (broken.contact_email[other] == broken.contact_email[0]) ++other;
  std::swap(broken.contact_email[0], broken.contact_email[other]);
  CHECK(inconsistency(broken) != "");
}

TEST_CASE("random bytes are refused with a snapshot error") {
  // The fixed header of a real snapshot: with it, random payloads pass the
  // magic, version and section count and reach the section parser.
  const std::string header = SnapshotCodec::encode(Snapshot{}).substr(0, 16);
  testing::Rng rng(1);
  int decoded = 0;
  for (int i = 0; i < 2000; ++i) {
    std::string buffer(rng.below(200), '\0');
    for (char& c : buffer) c = static_cast<char>(rng.below(256));
    if (i % 2 == 0 && buffer.size() >= 8) std::memcpy(buffer.data(), header.data(), 8);
    if (i % 4 == 0 && buffer.size() >= 16) {
      std::memcpy(buffer.data(), header.data(), 16);
      reseal(buffer);
    }
    decoded += decodes_consistently(buffer);
  }
  CHECK(decoded == 0);
}

TEST_CASE("mutated snapshots are rejected or decode to a consistent snapshot") {
  // With account names and last names that format 5 codes as marks.
  auto data = testing::generate_dataset(
      {.accounts = 40, .seed = 4, .named_after_contact_share = 0.6, .family_last_name_share = 0.5});
  const std::string original = SnapshotCodec::encode(testing::snapshot_of(data));
  REQUIRE(decodes_consistently(original));
  testing::Rng rng(2);
  int decoded = 0, rejected = 0, decoded_unsealed = 0;
  for (int i = 0; i < 4000; ++i) {
    std::string buffer = original;
    std::size_t edits = 1 + rng.below(4);
    for (std::size_t k = 0; k < edits; ++k) {
      std::size_t at = payload_offset + rng.below(buffer.size() - payload_offset);
      switch (rng.below(4)) {
        case 0:
          buffer[at] = static_cast<char>(buffer[at] ^ (1 << rng.below(8)));
          break;
        case 1:
          buffer[at] = static_cast<char>(rng.below(256));
          break;
        case 2:
          buffer.erase(at, 1 + rng.below(8));
          break;
        default:
          buffer.insert(at, 1 + rng.below(4), static_cast<char>(0x80 | rng.below(128)));
          break;
      }
      if (buffer.size() <= payload_offset) break;
    }
    const bool resealed = rng.chance(0.9);
    if (resealed) reseal(buffer);
    const bool ok = decodes_consistently(buffer);
    if (ok)
      ++decoded;
    else
      ++rejected;
    // Without a new checksum, any change is corruption.
    if (ok && !resealed && buffer != original) ++decoded_unsealed;
  }
  CHECK(decoded_unsealed == 0);
  // Both outcomes occur: some edits are structural, some only change text.
  CHECK(rejected > 100);
  CHECK(decoded > 100);
  for (std::size_t cut = 0; cut < original.size(); cut += 7) {
    INFO("truncated to " << cut << " of " << original.size() << " bytes");
    std::string truncated = original.substr(0, cut);
    reseal(truncated);
    CHECK_FALSE(decodes_consistently(truncated));
  }
}

TEST_CASE("random JSON never crashes the filter parser") {
  testing::Rng rng(3);
  const char* keys[] = {"division_ids",
                        "account_class_ids",
                        "bill_group_ids",
                        "account_source_ids",
                        "site_source_ids",
                        "active_service_only",
                        "balance_due_only",
                        "billing_contacts_only",
                        "without_autopay_only",
                        "x",
                        ""};
  std::function<nlohmann::json(int)> value = [&](int depth) -> nlohmann::json {
    switch (rng.below(depth > 2 ? 6 : 8)) {
      case 0:
        return nullptr;
      case 1:
        return rng.chance(0.5);
      case 2:
        return static_cast<std::int64_t>(rng.next());
      case 3:
        return static_cast<double>(rng.below(1000)) / 7.0;
      case 4:
        return std::string(rng.below(5), static_cast<char>('a' + rng.below(26)));
      case 5:
        return static_cast<std::uint64_t>(rng.below(10));
      case 6: {
        auto array = nlohmann::json::array();
        for (std::size_t i = rng.below(5); i > 0; --i) array.push_back(value(depth + 1));
        return array;
      }
      default: {
        auto object = nlohmann::json::object();
        for (std::size_t i = rng.below(5); i > 0; --i) object[keys[rng.below(std::size(keys))]] = value(depth + 1);
        return object;
      }
    }
  };
  std::size_t accepted = 0, rejected = 0;
  for (int i = 0; i < 3000; ++i) {
    nlohmann::json document = value(0);
    try {
      Filter f = filter_from_json(document);
      ++accepted;
      CHECK(filter_from_json(filter_to_json(f)) == f);
    } catch (const ValidationError& e) {
      ++rejected;
      CHECK(std::strlen(e.what()) > 0);
    }
  }
  CHECK(accepted > 0);
  CHECK(rejected > 0);
}

TEST_CASE("mutated filter text gives a filter or a validation error") {
  const std::string original =
      R"({"division_ids":[1,2],"site_source_ids":[3],"balance_due_only":true,"billing_contacts_only":false})";
  testing::Rng rng(5);
  std::size_t accepted = 0, rejected = 0;
  for (int i = 0; i < 5000; ++i) {
    std::string text = original;
    for (std::size_t k = 1 + rng.below(3); k > 0 && !text.empty(); --k) {
      std::size_t at = rng.below(text.size());
      if (rng.chance(0.5))
        text[at] = static_cast<char>(rng.below(256));
      else
        text.erase(at, 1);
    }
    try {
      const Filter f = parse_filter(text);
      ++accepted;
      CHECK(parse_filter(filter_to_json(f).dump()) == f);
    } catch (const ValidationError& e) {
      ++rejected;
      CHECK(std::strlen(e.what()) > 0);
    }
  }
  // Most edits break the JSON; some only change an id or a flag.
  CHECK(accepted > 0);
  CHECK(rejected > accepted);
}
