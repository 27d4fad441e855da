// The server's allocation policy (backend/large_allocations.cpp): large blocks
// are advised for transparent huge pages, small ones are left alone. Read
// back from the kernel's own account of this process's mappings.
#include <catch2/catch.hpp>

#include <cstdint>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

namespace {

// The VmFlags of the mapping holding `address` in /proc/self/smaps.
std::string mapping_flags(const void* address) {
  const auto target = reinterpret_cast<std::uintptr_t>(address);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t begin = 0, end = 0;
    char dash = 0;
    std::istringstream range(line);
    if (range >> std::hex >> begin >> dash >> end && dash == '-') {
      inside = begin <= target && target < end;
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      return line;
    }
  }
  return {};
}

}  // namespace

TEST_CASE("a block of 4 MiB or more is advised for huge pages") {
  const std::size_t size = std::size_t{16} << 20;
  const auto block = std::make_unique<char[]>(size);
  const std::string flags = mapping_flags(block.get() + size / 2);
  INFO(flags);
  REQUIRE_FALSE(flags.empty());
  CHECK(flags.find(" hg") != std::string::npos);
}

TEST_CASE("a small block keeps the heap's ordinary pages") {
  const auto block = std::make_unique<char[]>(64 * 1024);
  const std::string flags = mapping_flags(block.get());
  INFO(flags);
  REQUIRE_FALSE(flags.empty());
  CHECK(flags.find(" hg") == std::string::npos);
}
