// VERP envelope senders: every outbox id round-trips through its address and
// Message-ID; addresses of other keys, domains or prefixes, and made-up or
// damaged tokens, name no outbox.
#include <array>
#include <set>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "invites/email.hpp"
#include "mail/verp.hpp"

using namespace invites;

namespace {

std::array<unsigned char, mail::verp_secret_size> secret_of(unsigned char fill) {
  std::array<unsigned char, mail::verp_secret_size> bytes;
  bytes.fill(fill);
  return bytes;
}

}  // namespace

TEST_CASE("an outbox id round-trips through its VERP address and Message-ID") {
  const mail::VerpCodec codec("bounces", "Bounces.Example.com", secret_of(1));
  for (std::uint64_t id : {std::uint64_t{1}, std::uint64_t{42}, std::uint64_t{987654321}, ~std::uint64_t{0}}) {
    INFO(id);
    const std::string address = codec.address_for(id);
    CHECK(address.starts_with("bounces+"));
    CHECK(address.ends_with("@bounces.example.com"));
    CHECK(is_valid_email(address));
    CHECK(codec.outbox_id_of_address(address) == id);
    // Mail systems may change case and add angle brackets or a display name.
    CHECK(codec.outbox_id_of_address("<" + address + ">") == id);
    CHECK(codec.outbox_id_of_address("Bounces <" + normalize_email(address) + ">") == id);
    std::string upper = address;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(codec.outbox_id_of_address(upper) == id);
    CHECK(codec.outbox_id_of_message_id(codec.message_id_for(id)) == id);
  }
}

TEST_CASE("tokens are opaque: no visible id, different for neighbouring ids") {
  const mail::VerpCodec codec("bounces", "bounces.example.com", secret_of(1));
  std::set<std::string> tokens;
  for (std::uint64_t id = 1000; id < 1100; ++id) {
    const std::string token = codec.token_for(id);
    CHECK(token.size() == 26);
    CHECK(token.find(std::to_string(id)) == std::string::npos);
    tokens.insert(token);
  }
  CHECK(tokens.size() == 100);
}

TEST_CASE("addresses of another key, domain or prefix, and damaged tokens name no outbox") {
  const mail::VerpCodec codec("bounces", "bounces.example.com", secret_of(1));
  const mail::VerpCodec other_key("bounces", "bounces.example.com", secret_of(2));
  const std::string token = codec.token_for(77);
  CHECK_FALSE(codec.outbox_id_of_address(other_key.address_for(77)).has_value());
  CHECK_FALSE(codec.outbox_id_of_address("bounces+" + token + "@elsewhere.example").has_value());
  CHECK_FALSE(codec.outbox_id_of_address("returns+" + token + "@bounces.example.com").has_value());
  CHECK_FALSE(codec.outbox_id_of_address("bounces@bounces.example.com").has_value());
  CHECK_FALSE(codec.outbox_id_of_address("").has_value());
  CHECK_FALSE(codec.outbox_id_of_token(token.substr(1)).has_value());
  CHECK_FALSE(codec.outbox_id_of_token(token + "a").has_value());
  CHECK_FALSE(codec.outbox_id_of_token(std::string(26, '!')).has_value());
  for (std::size_t i = 0; i < token.size(); ++i) {  // any one changed character breaks the check
    std::string damaged = token;
    damaged[i] = damaged[i] == 'a' ? 'b' : 'a';
    INFO(damaged);
    CHECK_FALSE(codec.outbox_id_of_token(damaged).has_value());
  }
  CHECK_FALSE(codec.outbox_id_of_message_id("<" + token + "@elsewhere.example>").has_value());
}

TEST_CASE("a bounce address configuration that cannot make valid addresses is refused") {
  CHECK_THROWS_AS(mail::VerpCodec("bounces", "localhost", secret_of(1)), std::invalid_argument);
  CHECK_THROWS_AS(mail::VerpCodec("", "bounces.example.com", secret_of(1)), std::invalid_argument);
  CHECK_THROWS_AS(mail::VerpCodec("a+b", "bounces.example.com", secret_of(1)), std::invalid_argument);
  CHECK_THROWS_AS(mail::VerpCodec("bounces", "bounces.example.com", std::array<unsigned char, 5>{}),
                  std::invalid_argument);
}
