#include "security/sendgrid_signature.hpp"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <stdexcept>
#include <string>

#include "security/tokens.hpp"

namespace invites::security {

struct SendGridVerifier::Key {
  EVP_PKEY* key = nullptr;
  ~Key() { EVP_PKEY_free(key); }
};

SendGridVerifier::SendGridVerifier(std::string_view public_key_base64) : key_(std::make_unique<Key>()) {
  const auto der = from_base64(public_key_base64);
  if (!der) throw std::invalid_argument("the SendGrid verification key is not base64");
  const auto* bytes = reinterpret_cast<const unsigned char*>(der->data());
  key_->key = d2i_PUBKEY(nullptr, &bytes, static_cast<long>(der->size()));
  if (key_->key == nullptr || EVP_PKEY_base_id(key_->key) != EVP_PKEY_EC)
    throw std::invalid_argument("the SendGrid verification key is not an EC public key (base64 DER)");
}

SendGridVerifier::~SendGridVerifier() = default;

void SendGridVerifier::verify(std::string_view signature_base64, std::string_view timestamp,
                              std::string_view body) const {
  if (signature_base64.empty() || timestamp.empty())
    throw SignatureError("the request has no X-Twilio-Email-Event-Webhook-Signature or -Timestamp header");
  const auto signature = from_base64(signature_base64);
  if (!signature || signature->empty()) throw SignatureError("the SendGrid signature is not base64");
  std::string signed_text;
  signed_text.reserve(timestamp.size() + body.size());
  signed_text.append(timestamp).append(body);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!context || EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key_->key) != 1)
    throw SignatureError("cannot use the SendGrid verification key");
  if (EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature->data()), signature->size(),
                       reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size()) != 1)
    throw SignatureError("the SendGrid signature does not match the request");
}

}  // namespace invites::security
