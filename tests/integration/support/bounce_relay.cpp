#include "support/bounce_relay.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <stdexcept>
#include <thread>

#include "file_text.hpp"

namespace invites::testing {
namespace {

constexpr const char* postfix_daemons = "/usr/lib/postfix/sbin";

// A port nobody listens on now (the kernel's pick for an ephemeral bind).
int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
    throw std::runtime_error("cannot find a free port");
  close(fd);
  return ntohs(address.sin_port);
}

bool accepts_connections(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool connected = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return connected;
}

void chown_to(const std::filesystem::path& path, const char* user) {
  const passwd* entry = getpwnam(user);
  if (entry == nullptr || chown(path.c_str(), entry->pw_uid, entry->pw_gid) != 0)
    throw std::runtime_error("cannot give " + path.string() + " to " + user);
}

void wait_until_listening(int port, const std::string& what, const std::function<std::string()>& log) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!accepts_connections(port)) {
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error(what + " did not start listening on port " + std::to_string(port) + ":\n" + log());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace

BounceRelay::BounceRelay(BounceRelayOptions options) : options_(std::move(options)) {
  // Postfix's and Dovecot's unprivileged processes must reach their files in here.
  std::filesystem::permissions(directory_.path(),
                               std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                   std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                                   std::filesystem::perms::others_exec);
  for (const char* sub : {"postfix", "queue", "data", "mail", "dovecot", "dovecot/run", "dovecot/state", "home"})
    std::filesystem::create_directories(directory_.path() / sub);
  chown_to(directory_.path() / "data", "postfix");
  chown_to(directory_.path() / "mail", "nobody");
  chown_to(directory_.path() / "home", "nobody");
  smtp_port_ = free_port();
  imap_port_ = free_port();
  write_postfix_config();
  write_dovecot_config();
  start_postfix();
  start_dovecot();
}

BounceRelay::~BounceRelay() {
  if (dovecot_) dovecot_->terminate();
  if (postfix_) postfix_->terminate();
}

std::string BounceRelay::smtp_url() const { return "smtp://127.0.0.1:" + std::to_string(smtp_port_); }
std::string BounceRelay::imap_url() const { return "imap://127.0.0.1:" + std::to_string(imap_port_) + "/INBOX"; }

std::size_t BounceRelay::mailbox_size() const {
  std::size_t count = 0;
  for (const char* sub : {"new", "cur"}) {
    const auto dir = directory_.path() / "mail" / "bounces" / sub;
    std::error_code ignored;
    for (auto it = std::filesystem::directory_iterator(dir, ignored); it != std::filesystem::directory_iterator(); ++it)
      ++count;
  }
  return count;
}

bool BounceRelay::wait_for_mailbox(std::size_t count, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (mailbox_size() < count) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return true;
}

std::string BounceRelay::postfix_log() const { return file_text(directory_.path() / "postfix.log"); }

void BounceRelay::write_postfix_config() const {
  const auto dir = directory_.path();
  const passwd* nobody = getpwnam("nobody");
  if (nobody == nullptr) throw std::runtime_error("no user nobody");
  std::ofstream main(dir / "postfix" / "main.cf");
  main << "compatibility_level = 3.6\n"
       << "queue_directory = " << (dir / "queue").string() << "\n"
       << "data_directory = " << (dir / "data").string() << "\n"
       << "daemon_directory = " << postfix_daemons << "\n"
       << "command_directory = /usr/sbin\n"
       << "meta_directory = /etc/postfix\n"
       << "shlib_directory = /usr/lib/postfix\n"
       << "mail_owner = postfix\nsetgid_group = postdrop\n"
       << "myhostname = relay.test\nmydomain = relay.test\nmyorigin = relay.test\nmydestination =\n"
       << "alias_maps =\nalias_database =\n"
       << "inet_interfaces = 127.0.0.1\ninet_protocols = ipv4\nmynetworks = 127.0.0.0/8\n"
       << "smtpd_relay_restrictions = permit_mynetworks, reject\n"
       << "smtp_dns_support_level = disabled\nsmtp_host_lookup = native\n"
       << "transport_maps = inline:{ " << options_.recipient_domain << "=smtp:[127.0.0.1]:" << options_.sink_port
       << " }\n"
       // Every address of the bounce domain (bounces+TOKEN@...) lands in one Maildir.
       << "virtual_mailbox_domains = " << options_.bounce_domain << "\n"
       << "virtual_mailbox_base = " << (dir / "mail").string() << "\n"
       << "virtual_mailbox_maps = static:bounces/\n"
       << "virtual_uid_maps = static:" << nobody->pw_uid << "\nvirtual_gid_maps = static:" << nobody->pw_gid
       << "\n"
       // Give up at the first temporary failure too, so 4xx makes a (soft) bounce at once.
       << "maximal_queue_lifetime = 0\nbounce_queue_lifetime = 0\n"
       << "maillog_file = " << (dir / "postfix.log").string() << "\n"
       << "maillog_file_prefixes = " << dir.string() << "\n"
       << "biff = no\n";
  std::ofstream master(dir / "postfix" / "master.cf");
  master << "127.0.0.1:" << smtp_port_ << " inet n - n - - smtpd\n"
         << "pickup unix n - n 60 1 pickup\ncleanup unix n - n - 0 cleanup\nqmgr unix n - n 300 1 qmgr\n"
         << "rewrite unix - - n - - trivial-rewrite\nbounce unix - - n - 0 bounce\n"
         << "defer unix - - n - 0 bounce\ntrace unix - - n - 0 bounce\nverify unix - - n - 1 verify\n"
         << "flush unix n - n 1000? 0 flush\nproxymap unix - - n - - proxymap\nsmtp unix - - n - - smtp\n"
         << "relay unix - - n - - smtp\nshowq unix n - n - - showq\nerror unix - - n - - error\n"
         << "retry unix - - n - - error\ndiscard unix - - n - - discard\nlocal unix - n n - - local\n"
         << "virtual unix - n n - - virtual\nanvil unix - - n - 1 anvil\nscache unix - - n - 1 scache\n"
         << "postlog unix-dgram n - n - 1 postlogd\n";
}

void BounceRelay::write_dovecot_config() const {
  const auto dir = directory_.path();
  const passwd* nobody = getpwnam("nobody");
  std::ofstream conf(dir / "dovecot" / "dovecot.conf");
  conf << "base_dir = " << (dir / "dovecot" / "run").string() << "\n"
       << "state_dir = " << (dir / "dovecot" / "state").string() << "\n"
       << "log_path = " << (dir / "dovecot.log").string() << "\n"
       << "protocols = imap\nlisten = 127.0.0.1\nssl = no\n"
       << "disable_plaintext_auth = no\nauth_mechanisms = plain\n"
       << "mail_location = maildir:" << (dir / "mail" / "bounces").string() << "\n"
       << "first_valid_uid = 1\n"
       << "passdb {\n  driver = static\n  args = password=" << imap_password << "\n}\n"
       << "userdb {\n  driver = static\n  args = uid=" << nobody->pw_uid << " gid=" << nobody->pw_gid
       << " home=" << (dir / "home").string() << "\n}\n"
       << "service imap-login {\n  chroot =\n  inet_listener imap {\n    address = 127.0.0.1\n    port = " << imap_port_
       << "\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}\n"
       << "service anvil {\n  chroot =\n}\n";
}

void BounceRelay::start_postfix() {
  const auto config = (directory_.path() / "postfix").string();
  // `postfix check` creates the queue directories with their owners and modes.
  const auto check = run_process({"/usr/sbin/postfix", "-c", config, "check"});
  if (check.exit_code != 0) throw std::runtime_error("postfix check failed: " + check.output + postfix_log());
  // The master in the foreground (-d), so it ends with this object.
  postfix_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{std::string(postfix_daemons) + "/master", "-c", config, "-d"});
  wait_until_listening(smtp_port_, "Postfix", [this] { return postfix_log(); });
}

void BounceRelay::start_dovecot() {
  dovecot_ = std::make_unique<ChildProcess>(std::vector<std::string>{
      "/usr/sbin/dovecot", "-F", "-c", (directory_.path() / "dovecot" / "dovecot.conf").string()});
  wait_until_listening(imap_port_, "Dovecot", [this] { return file_text(directory_.path() / "dovecot.log"); });
}

}  // namespace invites::testing
