#pragma once
// Staff passwords (libsodium): argon2id with libsodium's "interactive"
// limits, stored as the self-describing string crypto_pwhash_str produces
// ("$argon2id$v=19$m=...,t=...,p=1$salt$hash", at most 127 characters).
#include <string>
#include <string_view>

namespace invites::security {

// sodium_init(); call once at start-up (every function here also makes sure
// it ran). Throws std::runtime_error when libsodium cannot start.
void initialize();

// Throws std::runtime_error when hashing fails (out of memory).
std::string hash_password(std::string_view password);

// True when `password` matches `stored_hash`; false for a wrong password or
// a malformed hash.
bool verify_password(std::string_view stored_hash, std::string_view password);

// Spends the same time as verify_password against a real hash, for unknown
// or disabled users, so response times do not reveal which usernames exist.
void verify_dummy_password(std::string_view password);

}  // namespace invites::security
