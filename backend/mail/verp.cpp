#include "mail/verp.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "invites/email.hpp"
#include "security/passwords.hpp"

namespace invites::mail {
namespace {

using Block = std::array<unsigned char, 16>;
constexpr std::string_view base32_alphabet = "abcdefghijklmnopqrstuvwxyz234567";
constexpr std::size_t token_length = 26;  // ceil(128 / 5)

struct CipherContextFree {
  void operator()(EVP_CIPHER_CTX* context) const { EVP_CIPHER_CTX_free(context); }
};

// One AES-128 block, no padding; encrypt or decrypt.
Block aes_block(const std::array<unsigned char, 16>& key, const Block& in, bool encrypt) {
  std::unique_ptr<EVP_CIPHER_CTX, CipherContextFree> context(EVP_CIPHER_CTX_new());
  Block out{};
  int written = 0;
  if (!context ||
      EVP_CipherInit_ex(context.get(), EVP_aes_128_ecb(), nullptr, key.data(), nullptr, encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding(context.get(), 0) != 1 ||
      EVP_CipherUpdate(context.get(), out.data(), &written, in.data(), static_cast<int>(in.size())) != 1 ||
      written != static_cast<int>(out.size()))
    throw std::runtime_error("AES block operation failed");
  return out;
}

std::string base32(const Block& bytes) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out.push_back(base32_alphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(base32_alphabet[(buffer << (5 - bits)) & 31]);
  return out;
}

std::optional<Block> from_base32(std::string_view text) {
  if (text.size() != token_length) return std::nullopt;
  Block out{};
  std::size_t filled = 0;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    const std::size_t value = base32_alphabet.find(lower);
    if (value == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 5) | static_cast<unsigned>(value);
    bits += 5;
    if (bits >= 8) {
      if (filled == out.size()) return std::nullopt;
      out[filled++] = static_cast<unsigned char>(buffer >> (bits - 8));
      bits -= 8;
    }
  }
  return filled == out.size() ? std::optional<Block>(out) : std::nullopt;
}

// "Name <a@b>" or "<a@b>" -> "a@b"; text without angle brackets as it is.
std::string_view without_angle_brackets(std::string_view text) {
  const std::size_t open = text.rfind('<');
  if (open == std::string_view::npos) return text;
  const std::size_t close = text.find('>', open);
  return text.substr(open + 1, close == std::string_view::npos ? std::string_view::npos : close - open - 1);
}

}  // namespace

VerpCodec::VerpCodec(std::string prefix, std::string domain, std::span<const unsigned char> secret)
    : prefix_(normalize_email(prefix)), domain_(normalize_email(domain)) {
  if (secret.size() != verp_secret_size)
    throw std::invalid_argument("the VERP secret must be " + std::to_string(verp_secret_size) + " bytes");
  if (prefix_.empty() || prefix_.find('+') != std::string::npos ||
      !is_valid_email(prefix_ + "+" + std::string(token_length, 'a') + "@" + domain_))
    throw std::invalid_argument("bounce address prefix \"" + prefix + "\" and domain \"" + domain +
                                "\" do not make a valid address");
  security::initialize();
  static constexpr std::string_view context = "invites verp token key";
  crypto_generichash(key_.data(), key_.size(), reinterpret_cast<const unsigned char*>(context.data()), context.size(),
                     secret.data(), secret.size());
}

std::string VerpCodec::token_for(std::uint64_t outbox_id) const {
  Block plain{};  // id big-endian, then eight zero bytes: the check value
  for (int i = 0; i < 8; ++i)
    plain[static_cast<std::size_t>(i)] = static_cast<unsigned char>(outbox_id >> (56 - 8 * i));
  return base32(aes_block(key_, plain, true));
}

std::optional<std::uint64_t> VerpCodec::outbox_id_of_token(std::string_view token) const {
  const auto cipher = from_base32(token);
  if (!cipher) return std::nullopt;
  const Block plain = aes_block(key_, *cipher, false);
  if (!std::all_of(plain.begin() + 8, plain.end(), [](unsigned char b) { return b == 0; })) return std::nullopt;
  std::uint64_t id = 0;
  for (int i = 0; i < 8; ++i) id = (id << 8) | plain[static_cast<std::size_t>(i)];
  return id;
}

std::string VerpCodec::address_for(std::uint64_t outbox_id) const {
  return prefix_ + "+" + token_for(outbox_id) + "@" + domain_;
}

std::optional<std::uint64_t> VerpCodec::outbox_id_of_address(std::string_view address) const {
  const std::string normalized = normalize_email(without_angle_brackets(address));
  const std::size_t at = normalized.rfind('@');
  if (at == std::string::npos || std::string_view(normalized).substr(at + 1) != domain_) return std::nullopt;
  const std::string_view local = std::string_view(normalized).substr(0, at);
  if (!local.starts_with(prefix_ + "+")) return std::nullopt;
  return outbox_id_of_token(local.substr(prefix_.size() + 1));
}

std::string VerpCodec::message_id_for(std::uint64_t outbox_id) const {
  return "<" + token_for(outbox_id) + "@" + domain_ + ">";
}

std::optional<std::uint64_t> VerpCodec::outbox_id_of_message_id(std::string_view message_id) const {
  const std::string normalized = normalize_email(without_angle_brackets(message_id));
  const std::size_t at = normalized.rfind('@');
  if (at == std::string::npos || std::string_view(normalized).substr(at + 1) != domain_) return std::nullopt;
  return outbox_id_of_token(std::string_view(normalized).substr(0, at));
}

}  // namespace invites::mail
