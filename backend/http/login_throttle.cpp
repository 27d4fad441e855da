#include "http/login_throttle.hpp"

#include <algorithm>

#include "security/usernames.hpp"

namespace invites::http {
namespace {

// Beyond this many tracked keys, keys without a failure in the window are dropped.
constexpr std::size_t prune_above_keys = 10'000;

std::string pair_key(std::string_view username, std::string_view address) {
  // A newline is in no address, so no two pairs share a key.
  return std::string(address) + '\n' + security::username_key(username);
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::string LoginThrottle::client_address(std::string_view remote_address, std::string_view forwarded_for) const {
  const auto trusted = [this](std::string_view address) {
    return std::find(limits_.trusted_proxies.begin(), limits_.trusted_proxies.end(), address) !=
           limits_.trusted_proxies.end();
  };
  if (!trusted(remote_address)) return std::string(remote_address);
  // Each proxy appends the address it saw: read from the right, past our own proxies.
  while (!forwarded_for.empty()) {
    const auto comma = forwarded_for.rfind(',');
    const auto entry = trimmed(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for = comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
    if (!entry.empty() && !trusted(entry)) return std::string(entry);
  }
  return std::string(remote_address);
}

std::optional<std::chrono::seconds> LoginThrottle::retry_after(std::string_view username, std::string_view address,
                                                               Clock::time_point now) {
  const std::lock_guard lock(mutex_);
  std::optional<std::chrono::seconds> longest;
  for (const auto wait :
       {wait_for(by_username_and_address_, pair_key(username, address), limits_.failures_per_username_and_address, now),
        wait_for(by_username_, security::username_key(username), limits_.failures_per_username, now),
        wait_for(by_address_, std::string(address), limits_.failures_per_address, now)}) {
    if (wait && (!longest || *wait > *longest)) longest = wait;
  }
  return longest;
}

void LoginThrottle::record_failure(std::string_view username, std::string_view address, Clock::time_point now) {
  const std::lock_guard lock(mutex_);
  add(by_username_and_address_, pair_key(username, address), limits_.failures_per_username_and_address, now);
  add(by_username_, security::username_key(username), limits_.failures_per_username, now);
  add(by_address_, std::string(address), limits_.failures_per_address, now);
}

void LoginThrottle::record_success(std::string_view username, std::string_view address) {
  const std::lock_guard lock(mutex_);
  by_username_and_address_.erase(pair_key(username, address));
}

std::optional<std::chrono::seconds> LoginThrottle::wait_for(Table& table, const std::string& key, std::size_t limit,
                                                            Clock::time_point now) const {
  const auto found = table.find(key);
  if (found == table.end()) return std::nullopt;
  Failures& failures = found->second;
  while (!failures.empty() && failures.front() + limits_.window <= now) failures.pop_front();
  if (failures.size() < limit) return std::nullopt;
  // The list keeps the newest `limit` failures: the oldest of them decides.
  const auto wait = failures.front() + limits_.window - now;
  return std::max(std::chrono::seconds(1), std::chrono::ceil<std::chrono::seconds>(wait));
}

void LoginThrottle::add(Table& table, const std::string& key, std::size_t limit, Clock::time_point now) {
  if (table.size() > prune_above_keys) prune(table, now);
  Failures& failures = table[key];
  failures.push_back(now);
  while (failures.size() > std::max<std::size_t>(limit, 1)) failures.pop_front();
}

void LoginThrottle::prune(Table& table, Clock::time_point now) const {
  for (auto it = table.begin(); it != table.end();) {
    if (it->second.empty() || it->second.back() + limits_.window <= now) {
      it = table.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace invites::http
