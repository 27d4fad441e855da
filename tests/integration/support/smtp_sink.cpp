#include "support/smtp_sink.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "file_text.hpp"

namespace invites::testing {

SmtpSink::SmtpSink(SmtpSinkOptions options) : options_(std::move(options)) {
  std::filesystem::create_directories(directory() / "maildir");
  std::filesystem::create_directories(directory() / "control");
  start(0);
}

SmtpSink::~SmtpSink() { stop(); }

std::string SmtpSink::url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

void SmtpSink::start(int port) {
  const std::string prefix = "listening on ";
  // A restart may find the old port still held for a moment: try a few times.
  for (int attempt = 1;; ++attempt) {
    try {
      std::vector<std::string> argv{"/usr/bin/python3", std::string(INVITES_SOURCE_DIR) + "/tests/support/smtp_sink.py",
                                    "--port",           std::to_string(port),
                                    "--maildir",        (directory() / "maildir").string(),
                                    "--control",        (directory() / "control").string()};
      if (options_.username)
        argv.insert(argv.end(), {"--auth", *options_.username + ":" + options_.password.value_or("")});
      if (options_.tls_certificate)
        argv.insert(argv.end(), {"--tls-cert", options_.tls_certificate->string(), "--tls-key",
                                 options_.tls_key.value_or("").string()});
      if (options_.require_starttls) argv.push_back("--require-starttls");
      auto process = std::make_unique<ChildProcess>(argv);
      std::string line = process->read_line(std::chrono::seconds(15));
      if (!line.starts_with(prefix))
        throw std::runtime_error("the SMTP sink said \"" + line + "\" instead of " + prefix);
      port_ = std::stoi(line.substr(prefix.size()));
      process_ = std::move(process);
      return;
    } catch (const std::runtime_error&) {
      if (attempt == 5 || port == 0) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
}

void SmtpSink::stop() {
  if (process_) process_->terminate();
  process_.reset();
}

void SmtpSink::restart() {
  stop();
  start(port_);
}

void SmtpSink::set_control(const nlohmann::json& control) {
  // Written to a temporary name and renamed: the sink never reads half a file.
  auto path = directory() / "control" / "control.json";
  auto temporary = directory() / "control" / "control.json.tmp";
  std::ofstream(temporary) << control.dump();
  std::filesystem::rename(temporary, path);
}

std::vector<SinkMessage> SmtpSink::messages() const {
  std::vector<std::filesystem::path> envelopes;
  for (const auto& entry : std::filesystem::directory_iterator(directory() / "maildir"))
    if (entry.path().extension() == ".json") envelopes.push_back(entry.path());
  std::sort(envelopes.begin(), envelopes.end());  // zero-padded numbers: arrival order
  std::vector<SinkMessage> messages;
  for (const auto& path : envelopes) {
    auto envelope = nlohmann::json::parse(file_text(path));
    auto raw_path = path;
    raw_path.replace_extension(".eml");
    const auto optional_text = [&envelope](const char* key) -> std::optional<std::string> {
      const auto& value = envelope.at(key);
      return value.is_null() ? std::nullopt : std::optional<std::string>(value.get<std::string>());
    };
    messages.push_back({envelope.at("mail_from").get<std::string>(), envelope.at("rcpt").get<std::string>(),
                        envelope.at("connection").get<int>(), file_text(raw_path), optional_text("tls"),
                        optional_text("auth_login")});
  }
  return messages;
}

}  // namespace invites::testing
