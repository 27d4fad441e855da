#pragma once
// The byte writer and the bounds-checked reader shared by the snapshot codec
// and the delta codec (private to common/).
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "invites/error.hpp"

namespace invites::snapshot_bytes {

// Appends to a string, or (counting) only adds up the bytes it would append,
// so that a section's length is known before it is written. With a flush
// function it hands its bytes on whenever about `piece_size` have gathered,
// so a streamed encoding never holds more than that.
class Writer {
 public:
  explicit Writer(bool counting = false) : counting_(counting) {}
  explicit Writer(std::function<void(std::string_view)> flush) : flush_(std::move(flush)) {
    out_.reserve(piece_size + 16);
  }
  static constexpr std::size_t piece_size = 256 * 1024;

  void u32(std::uint32_t v) { fixed(v, 4); }
  void u64(std::uint64_t v) { fixed(v, 8); }
  void varint(std::uint64_t v) {
    if (counting_) {
      do {
        ++count_;
        v >>= 7;
      } while (v != 0);
      return;
    }
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7F) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
    if (flush_ && out_.size() >= piece_size) flush();
  }
  void bytes(const void* data, std::size_t size) {
    if (counting_) {
      count_ += size;
      return;
    }
    out_.append(static_cast<const char*>(data), size);
    if (flush_ && out_.size() >= piece_size) flush();
  }
  std::size_t size() const { return counting_ ? count_ : flushed_ + out_.size(); }
  // Hands on what is left (with a flush function).
  void flush() {
    if (!flush_ || out_.empty()) return;
    flush_(out_);
    flushed_ += out_.size();
    out_.clear();
  }
  std::string& str() { return out_; }

 private:
  void fixed(std::uint64_t v, int width) {
    if (counting_) {
      count_ += static_cast<std::size_t>(width);
      return;
    }
    for (int i = 0; i < width; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
  bool counting_ = false;
  std::size_t count_ = 0;
  std::function<void(std::string_view)> flush_;
  std::size_t flushed_ = 0;
  std::string out_;
};

class Reader {
 public:
  Reader(std::span<const std::uint8_t> bytes, std::string what) : bytes_(bytes), what_(std::move(what)) {}

  [[noreturn]] void fail(const std::string& problem) const {
    throw SnapshotFormatError("snapshot " + what_ + ": " + problem + " (at byte " + std::to_string(pos_) + " of " +
                              std::to_string(bytes_.size()) + ")");
  }
  std::size_t remaining() const { return bytes_.size() - pos_; }
  std::size_t position() const { return pos_; }
  // The bytes read since `start` (an earlier position()), to read them again.
  std::span<const std::uint8_t> since(std::size_t start) const { return bytes_.subspan(start, pos_ - start); }
  void need(std::size_t n) const {
    if (n > remaining())
      fail("truncated: needs " + std::to_string(n) + " more bytes, " + std::to_string(remaining()) + " left");
  }
  std::uint64_t fixed(int width) {
    need(static_cast<std::size_t>(width));
    std::uint64_t v = 0;
    for (int i = 0; i < width; ++i) v |= static_cast<std::uint64_t>(bytes_[pos_ + i]) << (8 * i);
    pos_ += static_cast<std::size_t>(width);
    return v;
  }
  // The hot path: no throw, so WebAssembly calls it directly (a call that
  // may throw goes through a JavaScript trampoline there).
  bool try_varint(std::uint64_t& v) noexcept {
    if (bytes_.size() - pos_ >= 10) {  // the usual case: no bounds check per byte
      const std::uint8_t* p = bytes_.data() + pos_;
      std::uint64_t b = p[0];
      if (b < 0x80) {  // most values fit one byte
        v = b;
        pos_ += 1;
        return true;
      }
      std::uint64_t value = b & 0x7F;
      for (int i = 1; i < 10; ++i) {
        b = p[i];
        if (i == 9 && b > 1) return false;  // more than 64 bits
        value |= (b & 0x7F) << (7 * i);
        if (b < 0x80) {
          v = value;
          pos_ += static_cast<std::size_t>(i) + 1;
          return true;
        }
      }
      return false;
    }
    v = 0;
    for (int shift = 0; shift < 64 && pos_ < bytes_.size(); shift += 7) {
      std::uint8_t byte = bytes_[pos_++];
      if (shift == 63 && byte > 1) return false;
      v |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      if (!(byte & 0x80)) return true;
    }
    return false;
  }
  std::uint64_t varint() {
    std::uint64_t v;
    if (!try_varint(v)) fail("malformed or truncated integer");
    return v;
  }
  // A count of items that each take at least `min_item_bytes`: bounded by the
  // bytes left, so a corrupt count cannot make us allocate gigabytes.
  std::size_t count(std::size_t min_item_bytes) {
    std::uint64_t n = varint();
    if (min_item_bytes > 0 && n > remaining() / min_item_bytes)
      fail("count " + std::to_string(n) + " exceeds the data left");
    return static_cast<std::size_t>(n);
  }
  std::span<const std::uint8_t> take(std::size_t n) {
    need(n);
    auto part = bytes_.subspan(pos_, n);
    pos_ += n;
    return part;
  }
  void expect_end() const {
    if (remaining() != 0) fail(std::to_string(remaining()) + " unexpected trailing bytes");
  }

 private:
  std::span<const std::uint8_t> bytes_;
  std::string what_;
  std::size_t pos_ = 0;
};

// out[0] = 0, out[i+1] = out[i] + value i (string offsets from lengths); false
// past 4 GiB. Reports failure instead of throwing: its loop stays free of exception edges.
inline bool decode_prefix_sums(Reader& r, std::uint32_t* offsets, std::size_t n) noexcept {
  std::uint64_t total = 0;
  offsets[0] = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t length;
    if (!r.try_varint(length) || length > 0xFFFFFFFFull) return false;
    total += length;
    if (total > 0xFFFFFFFFull) return false;
    offsets[i + 1] = static_cast<std::uint32_t>(total);
  }
  return true;
}

}  // namespace invites::snapshot_bytes
