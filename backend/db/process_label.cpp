#include "db/process_label.hpp"

#include <unistd.h>

namespace invites::db {

std::string process_label() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(getpid());
}

}  // namespace invites::db
