#pragma once
// An HTTPS server on loopback (cpp-httplib, the test CA's server
// certificate for localhost and 127.0.0.1) that serves one text at one path
// and counts the requests: where an SNS signing certificate comes from in tests.
#include <atomic>
#include <string>
#include <thread>

#include <httplib.h>

#include "support/test_certificates.hpp"

namespace invites::testing {

class HttpsFileServer {
 public:
  HttpsFileServer(const TestCertificates& tls, std::string path, std::string body);
  ~HttpsFileServer();
  HttpsFileServer(const HttpsFileServer&) = delete;
  HttpsFileServer& operator=(const HttpsFileServer&) = delete;

  // https://HOST:PORT/PATH
  std::string url(const std::string& host = "localhost") const;
  int requests() const { return requests_; }

 private:
  httplib::SSLServer server_;
  std::string path_;
  int port_ = 0;
  std::atomic<int> requests_{0};
  std::thread thread_;
};

}  // namespace invites::testing
