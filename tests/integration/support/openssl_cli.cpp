#include "support/openssl_cli.hpp"

#include <fstream>
#include <stdexcept>

#include "file_text.hpp"
#include "support/child_process.hpp"

namespace invites::testing {

void openssl(const std::vector<std::string>& arguments) {
  std::vector<std::string> argv{"/usr/bin/openssl"};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  const auto result = run_process(argv);
  if (result.exit_code != 0)
    throw std::runtime_error("openssl " + arguments.front() + " failed (" + std::to_string(result.exit_code) +
                             "): " + result.output);
}

std::string openssl_sign(const std::filesystem::path& key, std::string_view digest, std::string_view data,
                         const std::filesystem::path& scratch) {
  const auto input = scratch / "to-sign.bin";
  const auto output = scratch / "signature.bin";
  std::ofstream(input, std::ios::binary) << data;
  openssl({"dgst", "-" + std::string(digest), "-sign", key.string(), "-out", output.string(), input.string()});
  return file_text(output);
}

}  // namespace invites::testing
