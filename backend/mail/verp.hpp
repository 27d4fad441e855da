#pragma once
// Per-message envelope senders (VERP): each invitation goes out from
// PREFIX+TOKEN@BOUNCE-DOMAIN, so whatever comes back to that address names
// its outbox row (message, job and recipient) without reading the returned
// text. TOKEN is the outbox id and a check value encrypted as one AES-128
// block under a secret key, in lower-case base32 (26 characters; mail
// systems may change the case of a local part): unreadable without the key,
// and a made-up token passes the check with a chance of 2^-64.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace invites::mail {

inline constexpr std::size_t verp_secret_size = 32;

class VerpCodec {
 public:
  // `prefix` and `domain` make a valid address with a token (e.g. "bounces",
  // "bounces.example.com"); throws std::invalid_argument when they do not,
  // or when the secret is not verp_secret_size bytes.
  VerpCodec(std::string prefix, std::string domain, std::span<const unsigned char> secret);

  std::string token_for(std::uint64_t outbox_id) const;
  // The outbox id of a token (any case), or nullopt for one this key did not make.
  std::optional<std::uint64_t> outbox_id_of_token(std::string_view token) const;

  // "bounces+TOKEN@bounces.example.com"
  std::string address_for(std::uint64_t outbox_id) const;
  // The outbox id of an address made by address_for (any case, with or
  // without angle brackets), or nullopt for any other address.
  std::optional<std::uint64_t> outbox_id_of_address(std::string_view address) const;
  // "<TOKEN@bounces.example.com>": the Message-ID of the same message, so that
  // reports quoting only the original's headers (complaints, provider events)
  // name it too.
  std::string message_id_for(std::uint64_t outbox_id) const;
  // The outbox id in a Message-ID made by message_id_for, or nullopt.
  std::optional<std::uint64_t> outbox_id_of_message_id(std::string_view message_id) const;

  const std::string& domain() const { return domain_; }

 private:
  std::string prefix_;
  std::string domain_;
  std::array<unsigned char, 16> key_{};
};

}  // namespace invites::mail
