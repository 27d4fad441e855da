#include "platform/random_key.hpp"

#include <emscripten.h>

#include <cstdint>
#include <cstdio>

namespace {

// JavaScript: clang-format would break it (`===` becomes `== =`).
// clang-format off
EM_JS(void, js_random_words, (std::uint32_t* out, int count), {
  const words = new Uint32Array(count);
  crypto.getRandomValues(words);
  HEAPU32.set(words, out >> 2);
});
// clang-format on

}  // namespace

namespace invites::platform {

std::string random_key() {
  std::uint32_t words[4] = {};
  js_random_words(words, 4);
  char out[33];
  std::snprintf(out, sizeof out, "%08x%08x%08x%08x", static_cast<unsigned>(words[0]), static_cast<unsigned>(words[1]),
                static_cast<unsigned>(words[2]), static_cast<unsigned>(words[3]));
  return out;
}

}  // namespace invites::platform
