#include "http/login_throttle.hpp"

#include <algorithm>
#include <cctype>

namespace invites::http {
namespace {

// Beyond this many tracked keys, keys without a failure in the window are dropped.
constexpr std::size_t prune_above_keys = 10'000;

std::string username_key(std::string_view username) {
  std::string key(username);
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
  return key;
}

}  // namespace

std::optional<std::chrono::seconds> LoginThrottle::retry_after(std::string_view username, std::string_view address,
                                                               Clock::time_point now) {
  const std::lock_guard lock(mutex_);
  const auto by_user = wait_for(by_username_, username_key(username), limits_.failures_per_username, now);
  const auto by_address = wait_for(by_address_, std::string(address), limits_.failures_per_address, now);
  if (by_user && by_address) return std::max(*by_user, *by_address);
  return by_user ? by_user : by_address;
}

void LoginThrottle::record_failure(std::string_view username, std::string_view address, Clock::time_point now) {
  const std::lock_guard lock(mutex_);
  add(by_username_, username_key(username), limits_.failures_per_username, now);
  add(by_address_, std::string(address), limits_.failures_per_address, now);
}

void LoginThrottle::reset_username(std::string_view username) {
  const std::lock_guard lock(mutex_);
  by_username_.erase(username_key(username));
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
