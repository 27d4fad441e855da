#pragma once
// Signers that stand where the providers stand: an SNS signing certificate
// (RSA, issued by a throwaway test CA) that signs messages as Amazon SNS
// documents it, and a SendGrid-style P-256 key that signs timestamp + body.
// Keys and signatures are made with the openssl command line.
#include <string>

#include <nlohmann/json.hpp>

#include "support/temporary_directory.hpp"
#include "support/test_certificates.hpp"

namespace invites::testing {

class SnsSigner {
 public:
  // A signing certificate issued by `authority`'s CA.
  explicit SnsSigner(const TestCertificates& authority);
  std::string certificate_pem() const;
  // `message` (Type, MessageId, TopicArn, Message, Timestamp, [Subject]) with
  // SignatureVersion ("1": SHA-1, "2": SHA-256), SigningCertURL and Signature added.
  nlohmann::json sign(nlohmann::json message, const std::string& version, const std::string& certificate_url) const;

 private:
  TemporaryDirectory directory_{"sns-signer"};
};

class SendGridSigner {
 public:
  SendGridSigner();
  std::string public_key_base64() const;  // DER SubjectPublicKeyInfo, as SendGrid shows it
  std::string sign(const std::string& timestamp, const std::string& body) const;  // base64 DER

 private:
  TemporaryDirectory directory_{"sendgrid-signer"};
};

}  // namespace invites::testing
