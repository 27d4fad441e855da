#include "support/https_file_server.hpp"

#include <chrono>

namespace invites::testing {

HttpsFileServer::HttpsFileServer(const TestCertificates& tls, std::string path, std::string body)
    : server_(tls.server_certificate().c_str(), tls.server_key().c_str()), path_(std::move(path)) {
  server_.Get(path_, [this, body = std::move(body)](const httplib::Request&, httplib::Response& response) {
    ++requests_;
    response.set_content(body, "application/x-pem-file");
  });
  port_ = server_.bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

HttpsFileServer::~HttpsFileServer() {
  server_.stop();
  thread_.join();
}

std::string HttpsFileServer::url(const std::string& host) const {
  return "https://" + host + ":" + std::to_string(port_) + path_;
}

}  // namespace invites::testing
