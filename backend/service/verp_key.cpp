#include "service/verp_key.hpp"

#include <array>

#include "repository/delivery_outcomes.hpp"

namespace invites::service {

VerpKey::VerpKey(std::string prefix, std::string domain) : prefix_(std::move(prefix)), domain_(std::move(domain)) {
  const std::array<unsigned char, mail::verp_secret_size> probe{};
  mail::VerpCodec(prefix_, domain_, probe);  // checks the configuration now, not at the first message
}

std::shared_ptr<const mail::VerpCodec> VerpKey::codec(sql::Connection& connection) const {
  std::lock_guard lock(mutex_);
  if (!codec_) {
    const std::string secret = repository::verp_secret(connection);
    codec_ = std::make_shared<const mail::VerpCodec>(
        prefix_, domain_, std::span(reinterpret_cast<const unsigned char*>(secret.data()), secret.size()));
  }
  return codec_;
}

}  // namespace invites::service
