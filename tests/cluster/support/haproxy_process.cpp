#include "support/haproxy_process.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace invites::testing {
namespace {

class Socket {
 public:
  explicit Socket(int domain) : fd_(socket(domain, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  }
  ~Socket() { close(fd_); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  return address;
}

bool accepts_connections(int port) {
  Socket socket(AF_INET);
  const auto address = loopback(port);
  return connect(socket.fd(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
}

std::string address_of(int port) { return "127.0.0.1:" + std::to_string(port); }

// One command on HAProxy's admin socket; its whole answer.
std::string admin_command(const std::filesystem::path& socket_path, const std::string& command) {
  Socket socket(AF_UNIX);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, socket_path.c_str(), sizeof address.sun_path - 1);
  if (connect(socket.fd(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error("cannot connect to HAProxy's admin socket " + socket_path.string());
  }
  const std::string line = command + "\n";
  if (write(socket.fd(), line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
    throw std::runtime_error("cannot write to HAProxy's admin socket");
  }
  std::string answer;
  char chunk[4096];
  for (ssize_t count; (count = read(socket.fd(), chunk, sizeof chunk)) > 0;) {
    answer.append(chunk, static_cast<std::size_t>(count));
  }
  return answer;
}

std::filesystem::path admin_socket_in(const std::filesystem::path& directory) { return directory / "admin.sock"; }

}  // namespace

int free_loopback_port() {
  // Below the kernel's ephemeral range: a port handed out for port 0 or an
  // outgoing connection could be taken again before HAProxy binds it.
  int ephemeral_low = 32768;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> ephemeral_low;
  constexpr int lowest = 10000;
  if (ephemeral_low <= lowest + 1000) throw std::runtime_error("no room below the ephemeral port range");
  std::random_device random;
  std::uniform_int_distribution<int> pick(lowest, ephemeral_low - 1);
  for (int attempt = 0; attempt < 200; ++attempt) {
    Socket socket(AF_INET);
    const int port = pick(random);
    const auto address = loopback(port);
    if (bind(socket.fd(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) return port;
  }
  throw std::runtime_error(std::string("cannot find a free port: ") + std::strerror(errno));
}

HaproxyProcess::HaproxyProcess(const HaproxyLayout& layout) {
  http_port_ = free_loopback_port();
  std::vector<std::string> render{
      invites_server_path(),  "haproxy-config", "--listen",
      address_of(http_port_), "--stats-socket", admin_socket_in(directory_.path()).string()};
  for (const auto& server : layout.servers) render.insert(render.end(), {"--server", server});
  for (const auto& nodes : layout.db_frontends) {
    db_ports_.push_back(free_loopback_port());
    std::string frontend = address_of(db_ports_.back()) + "=";
    for (std::size_t i = 0; i < nodes.size(); ++i) frontend += (i ? "," : "") + nodes[i];
    render.insert(render.end(), {"--db-frontend", frontend});
  }
  const auto rendered = run_process(render);
  if (rendered.exit_code != 0) throw std::runtime_error("invites-server haproxy-config failed: " + rendered.output);
  const auto config = directory_.path() / "haproxy.cfg";
  std::ofstream(config) << rendered.output;

  process_ =
      std::make_unique<ChildProcess>(std::vector<std::string>{"/usr/sbin/haproxy", "-db", "-f", config.string()});
  std::vector<int> ports{http_port_};
  ports.insert(ports.end(), db_ports_.begin(), db_ports_.end());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (const int port : ports) {
    while (!accepts_connections(port)) {
      if (std::chrono::steady_clock::now() > deadline) {
        throw std::runtime_error("HAProxy did not listen on port " + std::to_string(port) + " within 10 s; config:\n" +
                                 rendered.output);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
}

HaproxyProcess::~HaproxyProcess() = default;

db::DatabaseUrl HaproxyProcess::database_url(std::size_t frontend, const db::DatabaseUrl& like) const {
  auto url = like;
  url.host = "127.0.0.1";
  url.port = static_cast<std::uint16_t>(db_ports_.at(frontend));
  return url;
}

std::string HaproxyProcess::status() const { return admin_command(admin_socket_in(directory_.path()), "show stat"); }

void HaproxyProcess::wait_for_servers_up(std::size_t count, std::chrono::seconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string table;
  for (;;) {
    table = status();
    std::istringstream lines(table);
    std::string line;
    std::size_t up = 0;
    while (std::getline(lines, line)) {
      // pxname,svname,...: the servers' rows of the HTTP backend, status UP.
      if (line.starts_with("invites_servers,server") && line.find(",UP,") != std::string::npos) ++up;
    }
    if (up >= count) return;
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("fewer than " + std::to_string(count) + " servers are up behind HAProxy:\n" + table);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace invites::testing
