#pragma once
// 128 random bits from the browser's crypto.getRandomValues, as 32 hex digits
// (idempotency keys of send requests).

#include <string>

namespace invites::platform {

std::string random_key();

}  // namespace invites::platform
