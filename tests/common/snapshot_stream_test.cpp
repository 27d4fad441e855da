// decode(ByteSource&) — the browser's path, which copies one section at a time
// out of JavaScript memory — must accept and reject exactly what decode(span)
// does, with the same snapshot as result.
#include <catch2/catch.hpp>

#include <cstring>

#include "invites/error.hpp"
#include "invites/evaluator.hpp"
#include "invites/snapshot_codec.hpp"
#include "random_dataset.hpp"
#include "snapshot_surgery.hpp"

using namespace invites;
using testing::reseal;

namespace {

class StringSource final : public ByteSource {
 public:
  explicit StringSource(const std::string& bytes) : bytes_(bytes) {}
  std::size_t size() const override { return bytes_.size(); }
  void read(std::size_t offset, std::uint8_t* out, std::size_t n) override {
    REQUIRE(offset + n <= bytes_.size());  // the decoder never reads past the end
    std::memcpy(out, bytes_.data() + offset, n);
    ++reads;
  }
  int reads = 0;

 private:
  const std::string& bytes_;
};

// "" when decoded (the snapshot goes to `out`), else the error text.
std::string decode_span(const std::string& bytes, Snapshot& out) {
  try {
    out = SnapshotCodec::decode(bytes);
    return "";
  } catch (const SnapshotFormatError& e) {
    return e.what();
  }
}
std::string decode_stream(const std::string& bytes, Snapshot& out) {
  try {
    StringSource source(bytes);
    out = SnapshotCodec::decode(source);
    return "";
  } catch (const SnapshotFormatError& e) {
    return e.what();
  }
}

}  // namespace

TEST_CASE("streamed decode gives the same snapshot, reading section by section") {
  auto data = testing::generate_dataset({.accounts = 400, .seed = 21});
  Snapshot snapshot = testing::snapshot_of(data, 1'760'000'000);
  const std::string bytes = SnapshotCodec::encode(snapshot);
  StringSource source(bytes);
  Snapshot streamed = SnapshotCodec::decode(source);
  CHECK(streamed == snapshot);
  CHECK(source.reads >= 18);  // the header, then each section's head and body
  const Filter filter{.division_ids = {1, 2}, .billing_contacts_only = true};
  CHECK(evaluate(streamed, filter).digest == evaluate(snapshot, filter).digest);
}

TEST_CASE("streamed decode rejects what the span decode rejects") {
  auto data = testing::generate_dataset(
      {.accounts = 40, .seed = 5, .named_after_contact_share = 0.6, .family_last_name_share = 0.5});
  const std::string original = SnapshotCodec::encode(testing::snapshot_of(data));
  Snapshot a, b;
  CHECK_THAT(decode_stream("", b), Catch::Contains("too short"));
  CHECK_THAT(decode_stream(original.substr(0, original.size() - 1), b), Catch::Contains("does not match"));
  std::string future = original;
  future[8] = 9;
  CHECK_THAT(decode_stream(future, b), Catch::Contains("version 9 is not supported"));
  std::string flipped = original;
  flipped[original.size() / 2] ^= 0x40;
  CHECK_FALSE(decode_stream(flipped, b).empty());

  testing::Rng rng(9);
  int decoded = 0;
  for (int i = 0; i < 1500; ++i) {
    std::string buffer = original;
    const std::size_t at = 40 + rng.below(buffer.size() - 40);
    switch (rng.below(3)) {
      case 0:
        buffer[at] = static_cast<char>(buffer[at] ^ (1 << rng.below(8)));
        break;
      case 1:
        buffer.erase(at, 1 + rng.below(8));
        break;
      default:
        buffer.insert(at, 1 + rng.below(4), static_cast<char>(0x80 | rng.below(128)));
        break;
    }
    if (rng.chance(0.9)) reseal(buffer);
    const std::string span_error = decode_span(buffer, a);
    const std::string stream_error = decode_stream(buffer, b);
    INFO("span: " << span_error << " | stream: " << stream_error);
    REQUIRE(span_error.empty() == stream_error.empty());
    if (span_error.empty()) {
      ++decoded;
      CHECK(a == b);
    }
  }
  // Both paths were compared on decoded and on rejected buffers.
  CHECK(decoded > 100);
  CHECK(decoded < 1400);
}
