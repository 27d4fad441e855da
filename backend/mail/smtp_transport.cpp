// SMTP delivery through one libcurl easy handle per transport, so the
// connection (and its TLS session and AUTH) is reused from message to message.
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <stdexcept>
#include <string_view>

#include "mail/transport.hpp"

namespace invites::mail {
namespace {

void initialize_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("curl_global_init failed");
  });
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  return true;
}

// The conversation as libcurl reports it through its debug callback: the
// last error reply (4xx/5xx) of this transaction and the command it
// answered. Success replies are not kept: after a failure libcurl sends
// QUIT, and its "221 Bye" must not hide the reply that mattered.
struct Conversation {
  std::string last_command;   // "MAIL", "RCPT", "DATA", "EHLO", "AUTH", "STARTTLS", ...
  std::string error_reply;    // e.g. "550 5.1.1 <x@example.com>: Recipient address rejected"
  std::string error_command;  // the command error_reply answered ("" = the greeting)

  void clear() {
    last_command.clear();
    error_reply.clear();
    error_command.clear();
  }
};

std::string_view without_line_end(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  return line;
}

bool is_session_reply(std::string_view reply) {
  for (std::string_view code : {"421", "454", "530", "535"})
    if (reply.starts_with(code)) return true;
  return false;
}

bool is_smtp_verb(std::string_view word) {
  for (std::string_view verb :
       {"EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "RSET", "NOOP", "QUIT", "VRFY"})
    if (word == verb) return true;
  return false;
}

int on_debug(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  auto& conversation = *static_cast<Conversation*>(user);
  std::string_view text(data, size);
  if (type == CURLINFO_HEADER_OUT) {
    // Only a command verb: AUTH arguments and the credential lines that
    // answer 334 challenges are never kept (they stay part of "AUTH").
    std::string_view verb = text.substr(0, text.find_first_of(" \r\n"));
    if (is_smtp_verb(verb)) conversation.last_command = std::string(verb);
  } else if (type == CURLINFO_HEADER_IN) {
    // One reply line per call; the last line of a reply is "NNN text" (a
    // space, not '-', after the code).
    std::string_view line = without_line_end(text);
    bool final_line = line.size() == 3 || (line.size() > 3 && line[3] == ' ');
    if (final_line && (line[0] == '4' || line[0] == '5')) {
      conversation.error_reply = std::string(line);
      conversation.error_command = conversation.last_command;
    }
  }
  return 0;
}

struct Upload {
  std::string_view remaining;
};

size_t on_read(char* buffer, size_t size, size_t count, void* user) {
  auto& upload = *static_cast<Upload*>(user);
  size_t n = std::min(size * count, upload.remaining.size());
  std::copy_n(upload.remaining.data(), n, buffer);
  upload.remaining.remove_prefix(n);
  return n;
}

// Replies that are about the session, not about this message. MAIL FROM
// names our sender (the bounce domain): a relay that refuses it refuses every
// message of the job, so its 5xx must not fail, or suppress, the recipient.
bool is_session_command(std::string_view command) {
  return command.empty() || command == "EHLO" || command == "HELO" || command == "STARTTLS" || command == "AUTH" ||
         command == "MAIL";
}

class SmtpTransport final : public MailTransport {
 public:
  explicit SmtpTransport(const SmtpOptions& options) : options_(options) {
    std::string_view url = options.url;
    if (!starts_with_ci(url, "smtp://") && !starts_with_ci(url, "smtps://"))
      throw std::invalid_argument("SMTP URL \"" + options.url + "\" must start with smtp:// or smtps://");
    initialize_curl_once();
    // libcurl takes the EHLO name from the URL path.
    url_ = options.url;
    if (!options.helo_name.empty()) {
      std::size_t authority = url_.find("://") + 3;
      if (url_.find('/', authority) == std::string::npos) url_ += "/" + options.helo_name;
    }
    curl_ = curl_easy_init();
    if (curl_ == nullptr) throw std::runtime_error("curl_easy_init failed");
    configure();
  }

  ~SmtpTransport() override {
    curl_slist_free_all(recipients_);
    curl_easy_cleanup(curl_);
  }
  SmtpTransport(const SmtpTransport&) = delete;
  SmtpTransport& operator=(const SmtpTransport&) = delete;

  DeliveryResult deliver(const std::string& envelope_from, const std::string& recipient,
                         const std::string& message) override {
    // These go into SMTP command lines as they are: a line break would add a command.
    for (const std::string* address : {&envelope_from, &recipient})
      if (address->find_first_of(std::string_view("\r\n\0<>", 5)) != std::string::npos)
        return {DeliveryOutcome::permanent_failure, "envelope address contains a line break, NUL or angle bracket",
                false};
    conversation_.clear();
    error_[0] = '\0';
    upload_.remaining = message;
    curl_slist_free_all(recipients_);
    recipients_ = curl_slist_append(nullptr, recipient.c_str());
    curl_easy_setopt(curl_, CURLOPT_MAIL_FROM, envelope_from.c_str());
    curl_easy_setopt(curl_, CURLOPT_MAIL_RCPT, recipients_);
    curl_easy_setopt(curl_, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));

    CURLcode code = curl_easy_perform(curl_);
    if (code == CURLE_OK) return {DeliveryOutcome::delivered, "", false};
    DeliveryResult result = classify(code);
    if (result.connection_problem) reset_handle();
    return result;
  }

 private:
  // A fresh handle, so no connection from a failed session is reused:
  // libcurl keeps a connection "intact" after a reply timeout, and the
  // late reply would then answer the next message's MAIL FROM.
  void reset_handle() {
    CURL* fresh = curl_easy_init();
    if (fresh == nullptr) return;  // keep the old one; libcurl will find out about the connection
    curl_easy_cleanup(curl_);
    curl_ = fresh;
    configure();
  }

  void configure() {
    curl_easy_setopt(curl_, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(curl_, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl_, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(curl_, CURLOPT_READDATA, &upload_);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT, static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT, static_cast<long>(options_.timeout.count()));
    curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_);
    // TRY: STARTTLS when the server offers it, plain text when it does not.
    // Once STARTTLS is used, a certificate that fails verification fails the
    // delivery: there is no fallback to plain text.
    curl_easy_setopt(curl_, CURLOPT_USE_SSL, options_.require_starttls ? CURLUSESSL_ALL : CURLUSESSL_TRY);
    curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, 2L);
    // Verification stays on whatever is configured; a private CA is trusted through its file.
    if (options_.ca_file) curl_easy_setopt(curl_, CURLOPT_CAINFO, options_.ca_file->c_str());
    if (options_.username) curl_easy_setopt(curl_, CURLOPT_USERNAME, options_.username->c_str());
    if (options_.password) curl_easy_setopt(curl_, CURLOPT_PASSWORD, options_.password->c_str());
    // The debug callback is how we see the SMTP replies and which command they answer.
    curl_easy_setopt(curl_, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(curl_, CURLOPT_DEBUGDATA, &conversation_);
    curl_easy_setopt(curl_, CURLOPT_VERBOSE, 1L);
  }

  DeliveryResult classify(CURLcode code) const {
    long reply_code = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &reply_code);
    const std::string& reply = conversation_.error_reply;
    if (!reply.empty()) {
      // An error to the greeting, EHLO, AUTH, STARTTLS or MAIL, or a reply
      // that is about the session whatever it answers (421 closing, 454 TLS
      // not available, 530 authentication required, 535 credentials
      // invalid): the connection or the sender failed, not this recipient.
      bool session =
          code == CURLE_LOGIN_DENIED || is_session_command(conversation_.error_command) || is_session_reply(reply);
      if (session) return {DeliveryOutcome::temporary_failure, reply, true, conversation_.error_command};
      return {reply[0] == '4' ? DeliveryOutcome::temporary_failure : DeliveryOutcome::permanent_failure, reply, false,
              conversation_.error_command};
    }
    // Refused, lost, timed out, TLS: the connection, not this recipient.
    // Unknown errors are treated the same way, so they are retried.
    // libcurl's text for a failed verification ("SSL peer certificate or SSH
    // remote key was not OK") does not say TLS or certificate plainly.
    std::string detail = code == CURLE_PEER_FAILED_VERIFICATION
                             ? "TLS certificate verification of the SMTP server failed"
                         : code == CURLE_USE_SSL_FAILED
                             ? "the SMTP server does not offer STARTTLS, which is required here (--smtp-starttls, "
                               "or AUTH credentials, which never go over an unencrypted connection)"
                             : curl_easy_strerror(code);
    if (error_[0] != '\0') detail += std::string(": ") + error_;
    if (reply_code >= 400) detail += " (last SMTP reply code " + std::to_string(reply_code) + ")";
    return {DeliveryOutcome::temporary_failure, detail, true};
  }

  SmtpOptions options_;
  std::string url_;
  CURL* curl_ = nullptr;
  curl_slist* recipients_ = nullptr;
  Upload upload_;
  Conversation conversation_;
  char error_[CURL_ERROR_SIZE] = {};
};

}  // namespace

std::unique_ptr<MailTransport> make_smtp_transport(const SmtpOptions& options) {
  return std::make_unique<SmtpTransport>(options);
}

}  // namespace invites::mail
