#pragma once
// The openssl command line, for test keys, certificates and signatures made
// the way an outside party would make them.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace invites::testing {

// Runs /usr/bin/openssl with the arguments; throws std::runtime_error with
// its output when it fails.
void openssl(const std::vector<std::string>& arguments);

// The raw signature (`openssl dgst -DIGEST -sign KEY`) of `data`, e.g.
// digest "sha256"; `scratch` is a directory for the files it needs.
std::string openssl_sign(const std::filesystem::path& key, std::string_view digest, std::string_view data,
                         const std::filesystem::path& scratch);

}  // namespace invites::testing
