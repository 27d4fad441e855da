#pragma once

namespace invites::app {

// The version the app was built from, e.g. "0.1.0+g1234abcd" (CMake fills it in).
const char* build_version();

}  // namespace invites::app
