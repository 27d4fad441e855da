#include "support/webhook_signers.hpp"

#include "file_text.hpp"
#include "security/tokens.hpp"
#include "support/openssl_cli.hpp"

namespace invites::testing {
namespace {

// Amazon SNS's string to sign, written out from its documentation.
std::string string_to_sign(const nlohmann::json& m) {
  std::string text;
  const auto add = [&](const char* key) { text += std::string(key) + "\n" + m[key].get<std::string>() + "\n"; };
  add("Message");
  add("MessageId");
  if (m["Type"] == "Notification") {
    if (m.contains("Subject")) add("Subject");
  } else {
    add("SubscribeURL");
  }
  add("Timestamp");
  if (m["Type"] != "Notification") add("Token");
  add("TopicArn");
  add("Type");
  return text;
}

}  // namespace

SnsSigner::SnsSigner(const TestCertificates& authority) {
  const auto& dir = directory_.path();
  openssl({"req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=sns.test-region.amazonaws.com", "-keyout",
           (dir / "sns.key").string(), "-out", (dir / "sns.csr").string()});
  openssl({"x509", "-req", "-in", (dir / "sns.csr").string(), "-CA", authority.ca_certificate().string(), "-CAkey",
           authority.ca_key().string(), "-set_serial", "2", "-days", "1", "-out", (dir / "sns.pem").string()});
}

std::string SnsSigner::certificate_pem() const { return file_text(directory_.path() / "sns.pem"); }

nlohmann::json SnsSigner::sign(nlohmann::json message, const std::string& version,
                               const std::string& certificate_url) const {
  message["SignatureVersion"] = version;
  message["SigningCertURL"] = certificate_url;
  const std::string signature = openssl_sign(directory_.path() / "sns.key", version == "1" ? "sha1" : "sha256",
                                             string_to_sign(message), directory_.path());
  message["Signature"] = security::to_base64(signature);
  return message;
}

SendGridSigner::SendGridSigner() {
  const auto& dir = directory_.path();
  openssl({"ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", (dir / "key.pem").string()});
  openssl(
      {"ec", "-in", (dir / "key.pem").string(), "-pubout", "-outform", "DER", "-out", (dir / "public.der").string()});
}

std::string SendGridSigner::public_key_base64() const {
  return security::to_base64(file_text(directory_.path() / "public.der"));
}

std::string SendGridSigner::sign(const std::string& timestamp, const std::string& body) const {
  return security::to_base64(
      openssl_sign(directory_.path() / "key.pem", "sha256", timestamp + body, directory_.path()));
}

}  // namespace invites::testing
