#pragma once
// SendGrid's signed event webhook: an ECDSA (P-256, SHA-256) signature over
// the timestamp header followed by the raw body, checked with the
// verification key that SendGrid shows for the webhook (base64 DER).
#include <memory>
#include <string_view>

#include "security/sns_signature.hpp"

namespace invites::security {

class SendGridVerifier {
 public:
  // Throws std::invalid_argument when the key is not a base64 DER EC public key.
  explicit SendGridVerifier(std::string_view public_key_base64);
  ~SendGridVerifier();
  SendGridVerifier(const SendGridVerifier&) = delete;
  SendGridVerifier& operator=(const SendGridVerifier&) = delete;

  // Throws SignatureError when the signature (base64 DER, header
  // X-Twilio-Email-Event-Webhook-Signature) does not sign timestamp + body.
  void verify(std::string_view signature_base64, std::string_view timestamp, std::string_view body) const;

 private:
  struct Key;
  std::unique_ptr<Key> key_;
};

}  // namespace invites::security
