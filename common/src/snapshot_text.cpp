#include "snapshot_text.hpp"

#include <cstring>

namespace invites::snapshot_text {

using snapshot_bytes::Reader;

TextReader::TextReader(Reader& r, std::size_t n)
    : codes_({}, "text codes"), shared_({}, "text prefixes"), rests_({}, "text lengths") {
  if (const std::size_t found = r.count(1); found != n)
    r.fail("has " + std::to_string(found) + " values, expected " + std::to_string(n));
  const std::size_t entries = r.count(1);
  entry_offsets_.resize(entries + 1);
  if (!snapshot_bytes::decode_prefix_sums(r, entry_offsets_.data(), entries)) r.fail("malformed dictionary lengths");
  if (r.varint() != entry_offsets_[entries]) r.fail("dictionary lengths do not add up");
  entry_bytes_ = r.take(entry_offsets_[entries]);

  constexpr std::uint64_t max_total = 0xFFFFFFFFull;  // a StringColumn's offsets are 32 bits
  std::uint64_t total = 0;
  std::size_t literals = n;
  if (entries > 0) {
    literals = 0;
    const std::size_t start = r.position();
    for (std::size_t i = 0; i < n; ++i) {
      std::uint64_t code;
      if (!r.try_varint(code) || code > entries) r.fail("malformed or out-of-range dictionary code");
      if (code == 0)
        ++literals;
      else
        total += entry_offsets_[code] - entry_offsets_[code - 1];
    }
    codes_ = Reader(r.since(start), "text codes");
  }
  if (r.varint() != literals) r.fail("literal count does not match the codes");

  const std::size_t shared_start = r.position();
  for (std::size_t i = 0; i < literals; ++i)
    if (std::uint64_t shared; !r.try_varint(shared)) r.fail("malformed prefix length");
  shared_ = Reader(r.since(shared_start), "text prefixes");

  const std::size_t rests_start = r.position();
  Reader shared = shared_;  // walked in step with the lengths of the rests
  std::uint64_t previous = 0, rest_total = 0;
  for (std::size_t i = 0; i < literals; ++i) {
    std::uint64_t prefix = 0, rest;
    shared.try_varint(prefix);  // checked above
    // The rests' bytes follow: together they cannot exceed what is left.
    const std::uint64_t left = r.remaining();
    if (!r.try_varint(rest) || rest > left || rest_total + rest > left) r.fail("malformed or overlong literal");
    if (prefix > previous)
      r.fail("a literal shares " + std::to_string(prefix) + " bytes with one of " + std::to_string(previous));
    rest_total += rest;
    previous = prefix + rest;
    total += previous;
    if (total > max_total) r.fail("values add up to more than 4 GiB");
  }
  rests_ = Reader(r.since(rests_start), "text lengths");
  if (r.varint() != rest_total) r.fail("literal lengths do not add up");
  rest_bytes_ = r.take(static_cast<std::size_t>(rest_total));
  total_bytes_ = static_cast<std::size_t>(total);
}

void TextReader::write_next(char* out, std::size_t& at) noexcept {
  // Everything was checked by the constructor: the varints are well formed and in range.
  std::uint64_t code = 0;
  if (entry_offsets_.size() > 1) codes_.try_varint(code);
  if (code != 0) {
    const std::uint32_t begin = entry_offsets_[code - 1], size = entry_offsets_[code] - begin;
    std::memcpy(out + at, entry_bytes_.data() + begin, size);
    at += size;
    return;
  }
  std::uint64_t prefix = 0, rest = 0;
  shared_.try_varint(prefix);
  rests_.try_varint(rest);
  std::memcpy(out + at, out + previous_literal_at_, static_cast<std::size_t>(prefix));
  std::memcpy(out + at + prefix, rest_bytes_.data() + rest_at_, static_cast<std::size_t>(rest));
  rest_at_ += static_cast<std::size_t>(rest);
  previous_literal_at_ = at;
  at += static_cast<std::size_t>(prefix + rest);
}

}  // namespace invites::snapshot_text
