#include "mail/imap_mailbox.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <sstream>

namespace invites::mail {
namespace {

CURL* handle(void* curl) { return static_cast<CURL*>(curl); }

void initialize_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::string url_part(CURLU* url, CURLUPart part, unsigned flags = 0) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, flags) != CURLUE_OK) return {};
  std::string out(value);
  curl_free(value);
  return out;
}

// An IMAP quoted string (RFC 3501 §4.3).
std::string imap_quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

}  // namespace

ImapMailbox::ImapMailbox(ImapOptions options) : options_(std::move(options)) {
  initialize_curl_once();
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> url(curl_url(), curl_url_cleanup);
  if (!url || curl_url_set(url.get(), CURLUPART_URL, options_.url.c_str(), 0) != CURLUE_OK)
    throw std::invalid_argument("bounce mailbox URL \"" + options_.url + "\" is not a URL");
  const std::string scheme = url_part(url.get(), CURLUPART_SCHEME);
  if (scheme != "imap" && scheme != "imaps")
    throw std::invalid_argument("bounce mailbox URL \"" + options_.url + "\" must start with imap:// or imaps://");
  const std::string host = url_part(url.get(), CURLUPART_HOST);
  const std::string port = url_part(url.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  std::string path = url_part(url.get(), CURLUPART_PATH, CURLU_URLDECODE);
  while (!path.empty() && path.front() == '/') path.erase(path.begin());
  while (!path.empty() && path.back() == '/') path.pop_back();
  mailbox_ = path.empty() ? "INBOX" : path;
  server_url_ = scheme + "://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + port + "/";
  char* escaped = curl_easy_escape(nullptr, mailbox_.c_str(), static_cast<int>(mailbox_.size()));
  mailbox_url_ = server_url_ + escaped;
  curl_free(escaped);
  identity_ = host + ":" + port + "/" + mailbox_ + " " + options_.username;

  curl_ = curl_easy_init();
  if (curl_ == nullptr) throw std::runtime_error("curl_easy_init failed");
  CURL* curl = handle(curl_);
  curl_easy_setopt(curl, CURLOPT_USERNAME, options_.username.c_str());
  curl_easy_setopt(curl, CURLOPT_PASSWORD, options_.password.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_USE_SSL, options_.require_starttls ? CURLUSESSL_ALL : CURLUSESSL_TRY);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (options_.ca_file) curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_file->c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
}

ImapMailbox::~ImapMailbox() { curl_easy_cleanup(handle(curl_)); }

std::string ImapMailbox::command(const std::string& url, const std::string& request) {
  CURL* curl = handle(curl_);
  std::string output;
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.empty() ? nullptr : request.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &output);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  const CURLcode code = curl_easy_perform(curl);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  if (code != CURLE_OK)
    throw ImapError("IMAP " + (request.empty() ? std::string("FETCH") : request.substr(0, request.find(' ', 4))) +
                    " on " + identity_ + " failed: " + curl_easy_strerror(code) +
                    (error[0] ? std::string(": ") + error : ""));
  return output;
}

std::uint64_t ImapMailbox::uid_validity() {
  const std::string output = command(server_url_, "STATUS " + imap_quoted(mailbox_) + " (UIDVALIDITY)");
  const std::size_t at = output.find("UIDVALIDITY ");
  if (at == std::string::npos) throw ImapError("the IMAP server did not tell the UIDVALIDITY of " + identity_);
  return std::stoull(output.substr(at + 12));
}

std::vector<std::uint64_t> ImapMailbox::unprocessed_uids() {
  const std::string output = command(mailbox_url_, std::string("UID SEARCH UNDELETED UNKEYWORD ") + processed_keyword);
  std::vector<std::uint64_t> uids;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.starts_with("* SEARCH")) continue;
    std::istringstream numbers(line.substr(8));
    std::uint64_t uid;
    while (numbers >> uid) uids.push_back(uid);
  }
  std::sort(uids.begin(), uids.end());
  return uids;
}

std::string ImapMailbox::fetch(std::uint64_t uid) { return command(mailbox_url_ + "/;UID=" + std::to_string(uid), ""); }

void ImapMailbox::mark_processed(std::uint64_t uid) {
  command(mailbox_url_, "UID STORE " + std::to_string(uid) + " +FLAGS.SILENT (\\Seen " + processed_keyword + ")");
}

void ImapMailbox::remove(std::uint64_t uid) {
  command(mailbox_url_, "UID STORE " + std::to_string(uid) + " +FLAGS.SILENT (\\Deleted)");
  command(mailbox_url_, "EXPUNGE");
}

}  // namespace invites::mail
