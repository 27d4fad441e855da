#include "security/sns_signature.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "invites/utc_time.hpp"
#include "security/tokens.hpp"

namespace invites::security {
namespace {

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE_free>>;
using StoreContextPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX_free>>;
using DigestContextPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;

struct CertificateStack {
  STACK_OF(X509) * stack = sk_X509_new_null();
  ~CertificateStack() { sk_X509_pop_free(stack, X509_free); }
};

std::string string_field(const nlohmann::json& body, const char* name, bool required) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) throw SignatureError(std::string("the SNS message has no ") + name);
    return {};
  }
  if (!it->is_string()) throw SignatureError(std::string("the SNS message's ") + name + " is not a string");
  return it->get<std::string>();
}

// The PEM's certificates: the signing certificate first, then any
// intermediates that came with it.
std::vector<X509Ptr> read_certificates(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  std::vector<X509Ptr> certificates;
  while (X509* certificate = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr))
    certificates.emplace_back(certificate);
  if (certificates.empty()) throw SignatureError("the SNS signing certificate is not a PEM certificate");
  return certificates;
}

void verify_chain(const std::vector<X509Ptr>& certificates, const std::optional<std::filesystem::path>& ca_file) {
  StorePtr store(X509_STORE_new());
  const bool loaded = ca_file ? X509_STORE_load_file(store.get(), ca_file->c_str()) == 1
                              : X509_STORE_set_default_paths(store.get()) == 1;
  if (!loaded) throw SignatureError("cannot load the trusted certificates for SNS signing certificates");
  CertificateStack intermediates;
  for (std::size_t i = 1; i < certificates.size(); ++i) {
    X509_up_ref(certificates[i].get());
    sk_X509_push(intermediates.stack, certificates[i].get());
  }
  StoreContextPtr context(X509_STORE_CTX_new());
  if (!context || X509_STORE_CTX_init(context.get(), store.get(), certificates.front().get(), intermediates.stack) != 1)
    throw SignatureError("cannot check the SNS signing certificate");
  if (X509_verify_cert(context.get()) != 1)
    throw SignatureError(std::string("the SNS signing certificate is not trusted: ") +
                         X509_verify_cert_error_string(X509_STORE_CTX_get_error(context.get())));
}

}  // namespace

SnsMessage parse_sns_message(std::string_view body) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception&) {
    throw SignatureError("the SNS message is not JSON");
  }
  if (!json.is_object()) throw SignatureError("the SNS message is not a JSON object");
  SnsMessage message;
  message.type = string_field(json, "Type", true);
  message.message_id = string_field(json, "MessageId", true);
  message.topic_arn = string_field(json, "TopicArn", true);
  if (json.contains("Subject") && !json["Subject"].is_null()) message.subject = string_field(json, "Subject", true);
  message.message = string_field(json, "Message", true);
  message.timestamp = string_field(json, "Timestamp", true);
  message.signature_version = string_field(json, "SignatureVersion", true);
  message.signature = string_field(json, "Signature", true);
  message.signing_cert_url = string_field(json, "SigningCertURL", true);
  const bool confirmation = message.type == "SubscriptionConfirmation" || message.type == "UnsubscribeConfirmation";
  message.subscribe_url = string_field(json, "SubscribeURL", confirmation);
  message.token = string_field(json, "Token", confirmation);
  if (!confirmation && message.type != "Notification")
    throw SignatureError("the SNS message has an unknown Type \"" + message.type + "\"");
  return message;
}

std::string sns_string_to_sign(const SnsMessage& m) {
  std::string text;
  const auto add = [&](std::string_view key, std::string_view value) {
    text.append(key).append("\n").append(value).append("\n");
  };
  add("Message", m.message);
  add("MessageId", m.message_id);
  if (m.type == "Notification") {
    if (m.subject) add("Subject", *m.subject);
  } else {
    add("SubscribeURL", m.subscribe_url);
  }
  add("Timestamp", m.timestamp);
  if (m.type != "Notification") add("Token", m.token);
  add("TopicArn", m.topic_arn);
  add("Type", m.type);
  return text;
}

std::int64_t sns_timestamp_seconds(std::string_view timestamp) {
  const auto seconds = parse_iso8601_utc(timestamp);
  if (!seconds)
    throw SignatureError("the SNS Timestamp \"" + std::string(timestamp) + "\" is not an ISO 8601 UTC time");
  return *seconds;
}

void verify_sns_signature(const SnsMessage& message, std::string_view certificate_pem,
                          const std::optional<std::filesystem::path>& ca_file) {
  const EVP_MD* digest = message.signature_version == "1"   ? EVP_sha1()
                         : message.signature_version == "2" ? EVP_sha256()
                                                            : nullptr;
  if (digest == nullptr)
    throw SignatureError("the SNS SignatureVersion \"" + message.signature_version + "\" is not 1 or 2");
  const auto signature = from_base64(message.signature);
  if (!signature || signature->empty()) throw SignatureError("the SNS Signature is not base64");
  const std::vector<X509Ptr> certificates = read_certificates(certificate_pem);
  verify_chain(certificates, ca_file);
  EVP_PKEY* key = X509_get0_pubkey(certificates.front().get());
  DigestContextPtr context(EVP_MD_CTX_new());
  const std::string signed_text = sns_string_to_sign(message);
  if (key == nullptr || !context || EVP_DigestVerifyInit(context.get(), nullptr, digest, nullptr, key) != 1)
    throw SignatureError("cannot use the SNS signing certificate's key");
  if (EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature->data()), signature->size(),
                       reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size()) != 1)
    throw SignatureError("the SNS signature does not match the message");
}

}  // namespace invites::security
