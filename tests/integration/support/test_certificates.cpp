#include "support/test_certificates.hpp"

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/openssl_cli.hpp"

namespace invites::testing {

TestCertificates::TestCertificates() {
  const auto& dir = directory_.path();
  // P-256 keys: made in milliseconds, unlike RSA.
  const std::vector<std::string> new_key{"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"};
  auto ca = std::vector<std::string>{"req",     "-x509",
                                     "-days",   "1",
                                     "-subj",   "/CN=Invites test CA",
                                     "-keyout", ca_key().string(),
                                     "-out",    ca_certificate().string()};
  ca.insert(ca.begin() + 2, new_key.begin(), new_key.end());
  openssl(ca);

  auto request = std::vector<std::string>{
      "req", "-subj", "/CN=localhost", "-keyout", server_key().string(), "-out", (dir / "server.csr").string()};
  request.insert(request.begin() + 1, new_key.begin(), new_key.end());
  openssl(request);

  // The names a client checks are in subjectAltName (the CN is not used for IP addresses).
  std::ofstream(dir / "server.ext") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                                       "basicConstraints=critical,CA:FALSE\n"
                                       "extendedKeyUsage=serverAuth\n";
  openssl({"x509", "-req", "-in", (dir / "server.csr").string(), "-CA", ca_certificate().string(), "-CAkey",
           ca_key().string(), "-set_serial", "1", "-days", "1", "-extfile", (dir / "server.ext").string(), "-out",
           server_certificate().string()});
}

}  // namespace invites::testing
