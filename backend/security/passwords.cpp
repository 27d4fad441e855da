#include "security/passwords.hpp"

#include <mutex>
#include <stdexcept>

#include <sodium.h>

#include "security/tokens.hpp"

namespace invites::security {

void initialize() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] { ok = sodium_init() >= 0; });
  if (!ok) throw std::runtime_error("libsodium could not be initialized");
}

std::string hash_password(std::string_view password) {
  initialize();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw std::runtime_error("password hashing failed (out of memory)");
  }
  return out;
}

bool verify_password(std::string_view stored_hash, std::string_view password) {
  initialize();
  // crypto_pwhash_str_verify wants a NUL-terminated string.
  const std::string hash(stored_hash);
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void verify_dummy_password(std::string_view password) {
  // A hash of a random password nobody knows, made once with the same limits.
  static const std::string dummy = hash_password(to_hex(random_token()));
  (void)verify_password(dummy, password);
}

}  // namespace invites::security
