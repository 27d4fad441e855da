#pragma once
// Where SNS signing certificates come from: only https URLs on allowed
// hosts (Amazon's "sns.<region>.amazonaws.com" in production), fetched with
// libcurl, the TLS peer verified against the configured trust, and kept in
// memory by URL. The same rule guards the SubscribeURL that confirms a
// subscription.
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "security/sns_signature.hpp"

namespace invites::security {

struct SnsTrust {
  // Host names; "*" stands for exactly one label ("sns.*.amazonaws.com").
  std::vector<std::string> allowed_hosts{"sns.*.amazonaws.com"};
  // PEM CA certificates for the HTTPS fetch and for the signing
  // certificate's chain; nullopt: the system's trust store.
  std::optional<std::filesystem::path> ca_file;
  // Topics whose messages are accepted; empty: any.
  std::vector<std::string> topic_arns;
};

bool host_allowed(std::string_view host, const std::vector<std::string>& patterns);

class SnsCertificates {
 public:
  explicit SnsCertificates(SnsTrust trust) : trust_(std::move(trust)) {}

  // Checks the message's topic and signature, fetching its certificate on
  // first use. Throws SignatureError.
  void verify(const SnsMessage& message);
  // Visits a subscription's SubscribeURL (same host rule); throws SignatureError.
  void confirm_subscription(const SnsMessage& message) const;

  const SnsTrust& trust() const { return trust_; }

 private:
  std::string certificate(const std::string& url);
  // The body of an allowed https URL; throws SignatureError.
  std::string fetch(const std::string& url) const;

  SnsTrust trust_;
  std::mutex mutex_;
  std::map<std::string, std::string> certificates_;  // by URL
};

}  // namespace invites::security
