#pragma once
// Amazon SNS message signatures (how SES delivers bounce and complaint
// notifications over HTTPS): the canonical string of a message, its
// RSA signature (SignatureVersion 1: SHA-1, 2: SHA-256) checked with the
// public key of a signing certificate that chains to the configured trust.
#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace invites::security {

// A webhook request whose authenticity cannot be shown; the message says why.
class SignatureError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SnsMessage {
  std::string type;  // "Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"
  std::string message_id;
  std::string topic_arn;
  std::optional<std::string> subject;  // notifications only, when set
  std::string message;                 // for SES: a JSON document as a string
  std::string timestamp;               // ISO 8601 UTC, "2026-12-06T01:02:03.456Z"
  std::string signature_version;       // "1" or "2"
  std::string signature;               // base64
  std::string signing_cert_url;
  std::string subscribe_url;  // confirmations only
  std::string token;          // confirmations only
};

// The JSON body of an SNS POST. Throws SignatureError naming a missing or
// non-string field.
SnsMessage parse_sns_message(std::string_view body);

// "Key\nValue\n" for each signed key in byte order (SNS's string to sign).
std::string sns_string_to_sign(const SnsMessage& message);

// Unix seconds of an SNS timestamp; throws SignatureError when it is not one.
std::int64_t sns_timestamp_seconds(std::string_view timestamp);

// Checks `message`'s signature with the certificate in `certificate_pem`,
// which must be valid now and chain to the certificates of `ca_file` (PEM;
// the system's trust store when nullopt). Throws SignatureError.
void verify_sns_signature(const SnsMessage& message, std::string_view certificate_pem,
                          const std::optional<std::filesystem::path>& ca_file);

}  // namespace invites::security
