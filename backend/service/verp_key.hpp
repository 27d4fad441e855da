#pragma once
// The VERP codec of this deployment: the bounce address prefix and domain
// from the configuration, and the secret key shared by every server in the
// database (made by the first server that needs it), read once.
#include <memory>
#include <mutex>
#include <string>

#include <cppconn/connection.h>

#include "mail/verp.hpp"

namespace invites::service {

class VerpKey {
 public:
  // Throws std::invalid_argument when prefix and domain make no valid address.
  VerpKey(std::string prefix, std::string domain);

  // The codec, reading (or making) the key with `connection` on first use.
  std::shared_ptr<const mail::VerpCodec> codec(sql::Connection& connection) const;
  const std::string& domain() const { return domain_; }

 private:
  std::string prefix_, domain_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const mail::VerpCodec> codec_;
};

}  // namespace invites::service
