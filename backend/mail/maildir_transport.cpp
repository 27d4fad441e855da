// Maildir delivery (the demo default): write to tmp/, fsync, rename into
// new/, fsync new/, so a message in new/ is always complete and durable.
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "mail/transport.hpp"
#include "security/passwords.hpp"
#include "security/tokens.hpp"

namespace invites::mail {
namespace {

// Thrown inside deliver() only, and turned into a temporary failure.
struct MaildirError {
  std::string detail;
};

[[noreturn]] void fail(const std::string& action, const std::filesystem::path& path) {
  throw MaildirError{action + " " + path.string() + ": " + std::strerror(errno)};
}

std::string host_name() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0 || name[0] == '\0') return "localhost";
  std::string host(name.data());
  // '/' and ':' cannot be in a Maildir file name (':' starts the info part).
  for (char& c : host)
    if (c == '/' || c == ':') c = '_';
  return host;
}

void write_all(int fd, std::string_view data, const std::filesystem::path& path) {
  while (!data.empty()) {
    ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      fail("cannot write", path);
    }
    data.remove_prefix(static_cast<std::size_t>(written));
  }
}

void fsync_directory(const std::filesystem::path& directory) {
  int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail("cannot open", directory);
  int result = ::fsync(fd);
  int saved = errno;
  ::close(fd);
  errno = saved;
  if (result != 0) fail("cannot fsync", directory);
}

class MaildirTransport final : public MailTransport {
 public:
  explicit MaildirTransport(std::filesystem::path directory) : directory_(std::move(directory)), host_(host_name()) {
    security::initialize();
  }

  DeliveryResult deliver(const std::string&, const std::string&, const std::string& message) override {
    try {
      ensure_directories();
      std::string name = unique_name();
      std::filesystem::path temporary = directory_ / "tmp" / name;
      std::filesystem::path final_path = directory_ / "new" / name;
      write_file(temporary, message);
      if (::rename(temporary.c_str(), final_path.c_str()) != 0) {
        int saved = errno;
        ::unlink(temporary.c_str());
        errno = saved;
        fail("cannot move the message to", final_path);
      }
      fsync_directory(directory_ / "new");
      return {DeliveryOutcome::delivered, "", false};
    } catch (const MaildirError& error) {
      return {DeliveryOutcome::temporary_failure, error.detail, false};
    }
  }

 private:
  void ensure_directories() {
    if (ready_) return;
    std::error_code error;
    std::filesystem::create_directories(directory_, error);
    if (error) throw MaildirError{"cannot create " + directory_.string() + ": " + error.message()};
    for (const char* sub : {"tmp", "new", "cur"}) {
      std::filesystem::path path = directory_ / sub;
      if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) fail("cannot create", path);
    }
    ready_ = true;
  }

  // "seconds.Mmicros_Pprocess_Rrandom.host": unique across processes and hosts.
  std::string unique_name() const {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    std::array<unsigned char, 8> random;
    randombytes_buf(random.data(), random.size());
    return std::to_string(now.tv_sec) + ".M" + std::to_string(now.tv_nsec / 1000) + "P" + std::to_string(::getpid()) +
           "R" + security::to_hex(random) + "." + host_;
  }

  static void write_file(const std::filesystem::path& path, std::string_view message) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) fail("cannot create", path);
    try {
      write_all(fd, message, path);
      if (::fsync(fd) != 0) fail("cannot fsync", path);
    } catch (...) {
      ::close(fd);
      ::unlink(path.c_str());
      throw;
    }
    if (::close(fd) != 0) {
      ::unlink(path.c_str());
      fail("cannot close", path);
    }
  }

  std::filesystem::path directory_;
  std::string host_;
  bool ready_ = false;
};

}  // namespace

std::unique_ptr<MailTransport> make_maildir_transport(const std::filesystem::path& directory) {
  return std::make_unique<MaildirTransport>(directory);
}

}  // namespace invites::mail
