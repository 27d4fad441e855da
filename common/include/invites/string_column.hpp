#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace invites {

// Many short strings in one buffer: string i is bytes [offsets[i], offsets[i+1]).
class StringColumn {
 public:
  StringColumn() : offsets_{0} {}
  void push_back(std::string_view value) {
    bytes_.append(value);
    offsets_.push_back(static_cast<std::uint32_t>(bytes_.size()));
  }
  // Appends the string that `write(std::string& bytes)` appends to the buffer.
  template <typename Write>
  void push_back_with(Write&& write) {
    write(bytes_);
    offsets_.push_back(static_cast<std::uint32_t>(bytes_.size()));
  }
  std::string_view operator[](std::size_t i) const noexcept {
    return std::string_view(bytes_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  std::size_t size() const { return offsets_.size() - 1; }
  // All strings back to back: string i is bytes()[offsets()[i] .. offsets()[i+1]).
  std::string_view bytes() const noexcept { return bytes_; }
  std::span<const std::uint32_t> offsets() const noexcept { return offsets_; }
  std::size_t byte_size() const { return bytes_.size(); }
  void reserve(std::size_t count, std::size_t bytes) {
    offsets_.reserve(count + 1);
    bytes_.reserve(bytes);
  }
  // Gives back spare capacity when there is much of it (a copy of the column).
  void shrink_to_fit() {
    if (offsets_.capacity() - offsets_.size() > offsets_.size() / 8) offsets_.shrink_to_fit();
    if (bytes_.capacity() - bytes_.size() > bytes_.size() / 8) bytes_.shrink_to_fit();
  }
  // Empties the column and frees its storage.
  void release() {
    std::vector<std::uint32_t>{0}.swap(offsets_);
    std::string().swap(bytes_);
  }
  // Takes prepared storage: offsets start at 0, ascend, and end at bytes.size().
  void assign(std::vector<std::uint32_t> offsets, std::string bytes) {
    offsets_ = std::move(offsets);
    bytes_ = std::move(bytes);
  }
  bool operator==(const StringColumn&) const = default;

 private:
  std::vector<std::uint32_t> offsets_;
  std::string bytes_;
};

}  // namespace invites
