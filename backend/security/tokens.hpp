#pragma once
// Random secret tokens and their storage form (libsodium): a token is 32
// random bytes, handed out as base64url (no padding) or hex; the database
// keeps only its BLAKE2b-256 hash, so a leaked table reveals no usable token.
#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace invites::security {

inline constexpr std::size_t token_bytes = 32;
using Token = std::array<unsigned char, token_bytes>;
using TokenHash = std::array<unsigned char, 32>;

// 32 bytes from randombytes_buf (the OS's CSPRNG).
Token random_token();

// BLAKE2b with a 32-byte output (crypto_generichash), unkeyed.
TokenHash hash_token(std::span<const unsigned char> token);

// URL-safe base64 without padding (43 characters for a Token).
std::string to_base64url(std::span<const unsigned char> bytes);
// The Token in `text`; nullopt unless it is exactly 32 bytes of valid base64url.
std::optional<Token> token_from_base64url(std::string_view text);

// Standard base64 with padding, on one line.
std::string to_base64(std::string_view bytes);
// Standard base64 with padding (webhook signatures); nullopt for anything
// else. Line breaks and spaces inside are ignored.
std::optional<std::string> from_base64(std::string_view text);

// Lower-case hex (64 characters for a Token).
std::string to_hex(std::span<const unsigned char> bytes);
// The bytes of hex text (either case); nullopt for anything else.
std::optional<std::string> from_hex(std::string_view text);

// Constant-time equality (sodium_memcmp); different lengths are unequal.
bool equal_constant_time(std::string_view a, std::string_view b) noexcept;

}  // namespace invites::security
