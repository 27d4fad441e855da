// Fuzz-style checks: random and mutated input to the snapshot decoder and the
// filter parser must give a clear error or a usable value, never a crash or
// an over-read (this suite also runs under AddressSanitizer + UBSan).
#include <catch2/catch.hpp>

#include <cstring>

#define XXH_INLINE_ALL
#include <xxhash.h>
#include <nlohmann/json.hpp>

#include "invites/error.hpp"
#include "invites/evaluator.hpp"
#include "invites/filter.hpp"
#include "invites/snapshot_codec.hpp"
#include "random_dataset.hpp"

using namespace invites;

namespace {

constexpr std::size_t checksum_offset = 32;
constexpr std::size_t payload_offset = 40;

// Rewrites the header checksum so that a mutation reaches the structural
// checks of the decoder instead of stopping at the checksum.
void reseal(std::string& buffer) {
  if (buffer.size() < payload_offset) return;
  std::uint64_t sum = XXH3_64bits(buffer.data() + payload_offset, buffer.size() - payload_offset);
  for (int i = 0; i < 8; ++i) buffer[checksum_offset + i] = static_cast<char>((sum >> (8 * i)) & 0xFF);
  std::uint64_t length = buffer.size() - payload_offset;
  for (int i = 0; i < 8; ++i) buffer[checksum_offset - 8 + i] = static_cast<char>((length >> (8 * i)) & 0xFF);
}

// Decoding either fails cleanly or yields a snapshot that is safe to evaluate.
void decode_and_use(const std::string& buffer) {
  try {
    Snapshot s = SnapshotCodec::decode(buffer);
    Evaluation e = evaluate(s, {});
    for (Group g : all_groups) page_recipients(s, e, {.group = g, .limit = 5, .query = "a"});
    evaluate(s, {.site_source_ids = {1, 2}, .billing_contacts_only = true});
  } catch (const SnapshotFormatError&) {
  }
}

}  // namespace

TEST_CASE("random bytes never crash the snapshot decoder") {
  testing::Rng rng(1);
  for (int i = 0; i < 2000; ++i) {
    std::string buffer(rng.below(200), '\0');
    for (char& c : buffer) c = static_cast<char>(rng.below(256));
    if (i % 2 == 0 && buffer.size() >= 8) std::memcpy(buffer.data(), "BPISNAP1", 8);
    if (i % 4 == 0 && buffer.size() >= 16) {
      buffer[8] = static_cast<char>(snapshot_format_version), buffer[9] = buffer[10] = buffer[11] = 0;
      reseal(buffer);
    }
    decode_and_use(buffer);
  }
}

TEST_CASE("mutated snapshots are rejected or decode to a consistent snapshot") {
  auto data = testing::generate_dataset({.accounts = 40, .seed = 4});
  const std::string original = SnapshotCodec::encode(testing::snapshot_of(data));
  testing::Rng rng(2);
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
    if (rng.chance(0.9)) reseal(buffer);
    decode_and_use(buffer);
  }
  for (std::size_t cut = 0; cut < original.size(); cut += 7) {
    std::string truncated = original.substr(0, cut);
    reseal(truncated);
    decode_and_use(truncated);
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
  std::size_t accepted = 0;
  for (int i = 0; i < 3000; ++i) {
    nlohmann::json document = value(0);
    try {
      Filter f = filter_from_json(document);
      ++accepted;
      CHECK(filter_from_json(filter_to_json(f)) == f);
    } catch (const ValidationError&) {
    }
  }
  CHECK(accepted > 0);
}

TEST_CASE("mutated filter text gives a filter or a validation error") {
  const std::string original =
      R"({"division_ids":[1,2],"site_source_ids":[3],"balance_due_only":true,"billing_contacts_only":false})";
  testing::Rng rng(5);
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
      parse_filter(text);
    } catch (const ValidationError& e) {
      CHECK(std::strlen(e.what()) > 0);
    }
  }
}
