#include "security/sns_certificates.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace invites::security {
namespace {

constexpr std::size_t largest_response = 64 * 1024;

std::string lowered(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::vector<std::string_view> labels(std::string_view host) {
  std::vector<std::string_view> out;
  while (true) {
    const std::size_t dot = host.find('.');
    out.push_back(host.substr(0, dot));
    if (dot == std::string_view::npos) return out;
    host.remove_prefix(dot + 1);
  }
}

struct UrlParts {
  std::string scheme, host;
};

// libcurl's URL parser, so the host checked is the host libcurl will connect to.
UrlParts url_parts(const std::string& url) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> handle(curl_url(), curl_url_cleanup);
  if (!handle || curl_url_set(handle.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK)
    throw SignatureError("\"" + url + "\" is not a URL");
  UrlParts parts;
  for (auto [part, out] : {std::pair{CURLUPART_SCHEME, &parts.scheme}, std::pair{CURLUPART_HOST, &parts.host}}) {
    char* value = nullptr;
    if (curl_url_get(handle.get(), part, &value, 0) != CURLUE_OK) throw SignatureError("\"" + url + "\" is not a URL");
    *out = lowered(value);
    curl_free(value);
  }
  return parts;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& body = *static_cast<std::string*>(user);
  if (body.size() + size * count > largest_response) return 0;  // aborts the transfer
  body.append(data, size * count);
  return size * count;
}

}  // namespace

bool host_allowed(std::string_view host, const std::vector<std::string>& patterns) {
  const std::string lower = lowered(host);
  const auto host_labels = labels(lower);
  for (const std::string& pattern : patterns) {
    const std::string lower_pattern = lowered(pattern);
    const auto pattern_labels = labels(lower_pattern);
    if (pattern_labels.size() != host_labels.size()) continue;
    bool match = true;
    for (std::size_t i = 0; i < host_labels.size() && match; ++i)
      match = pattern_labels[i] == "*" ? !host_labels[i].empty() : pattern_labels[i] == host_labels[i];
    if (match) return true;
  }
  return false;
}

void SnsCertificates::verify(const SnsMessage& message) {
  if (!trust_.topic_arns.empty() &&
      std::find(trust_.topic_arns.begin(), trust_.topic_arns.end(), message.topic_arn) == trust_.topic_arns.end())
    throw SignatureError("the SNS topic \"" + message.topic_arn + "\" is not one of the configured topics");
  verify_sns_signature(message, certificate(message.signing_cert_url), trust_.ca_file);
}

void SnsCertificates::confirm_subscription(const SnsMessage& message) const { fetch(message.subscribe_url); }

std::string SnsCertificates::certificate(const std::string& url) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = certificates_.find(url); it != certificates_.end()) return it->second;
  }
  std::string pem = fetch(url);  // outside the lock: a slow fetch must not hold up verified messages
  std::lock_guard lock(mutex_);
  return certificates_.emplace(url, std::move(pem)).first->second;
}

std::string SnsCertificates::fetch(const std::string& url) const {
  const UrlParts parts = url_parts(url);
  if (parts.scheme != "https") throw SignatureError("\"" + url + "\" is not an https URL");
  if (!host_allowed(parts.host, trust_.allowed_hosts))
    throw SignatureError("the host of \"" + url + "\" is not an allowed SNS host");
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw SignatureError("curl_easy_init failed");
  std::string body;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(curl.get(), CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_SSL_VERIFYHOST, 2L);
  if (trust_.ca_file) curl_easy_setopt(curl.get(), CURLOPT_CAINFO, trust_.ca_file->c_str());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  const CURLcode code = curl_easy_perform(curl.get());
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (code != CURLE_OK) throw SignatureError("fetching \"" + url + "\" failed: " + curl_easy_strerror(code));
  if (status != 200) throw SignatureError("fetching \"" + url + "\" answered HTTP " + std::to_string(status));
  return body;
}

}  // namespace invites::security
