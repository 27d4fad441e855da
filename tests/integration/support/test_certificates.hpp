#pragma once
// A throwaway certificate authority and a server certificate it signed for
// 127.0.0.1 and localhost, made at run time with the openssl command line in
// a private temporary directory (deleted with the object). Two instances are
// two unrelated CAs: one's ca_certificate() does not verify the other's server.
#include <filesystem>

#include "support/temporary_directory.hpp"

namespace invites::testing {

class TestCertificates {
 public:
  // Throws std::runtime_error with openssl's output when a step fails.
  TestCertificates();

  std::filesystem::path ca_certificate() const { return directory_.path() / "ca.pem"; }
  std::filesystem::path ca_key() const { return directory_.path() / "ca.key"; }
  std::filesystem::path server_certificate() const { return directory_.path() / "server.pem"; }
  std::filesystem::path server_key() const { return directory_.path() / "server.key"; }
  const std::filesystem::path& directory() const { return directory_.path(); }

 private:
  TemporaryDirectory directory_{"test-certificates"};
};

}  // namespace invites::testing
