# WebAssembly build: Debian's Emscripten 3.1.6 CMake platform file, plus the
# host's header-only libraries (nlohmann_json, xxhash, Catch2, mustache),
# exposed through a private folder of symlinks so that the host's C library
# headers in /usr/include never leak into the wasm compile.
include(/usr/share/emscripten/cmake/Modules/Platform/Emscripten.cmake)

# em++'s JS optimizer needs Debian's acorn module (TOOLCHAIN.md).
set(ENV{NODE_PATH} "/usr/share/nodejs")

set(INVITES_WASM ON CACHE BOOL "Building for WebAssembly" FORCE)
