#pragma once
// Edits of an encoded snapshot (snapshot_codec.hpp) for the decoder's tests:
// where a section's body lies, and the header made to match the edited
// payload again, so that an edit reaches the structural checks instead of
// stopping at the checksum.
#include <cstddef>
#include <string>
#include <string_view>

namespace invites::testing {

inline constexpr std::size_t snapshot_payload_offset = 40;

// Rewrites the header's payload length and checksum for the buffer as it is.
void reseal(std::string& buffer);

// The offset and length of the body of the payload section called `name`
// (SnapshotCodec::section_name); fails the test when there is none.
struct SectionBody {
  std::size_t offset = 0, length = 0;
};
SectionBody section_body(const std::string& buffer, std::string_view name);

}  // namespace invites::testing
