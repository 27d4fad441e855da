#pragma once
// A whole file's bytes, for tests that read what a program wrote ("" when
// the file cannot be read).
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace invites::testing {

inline std::string file_text(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

}  // namespace invites::testing
