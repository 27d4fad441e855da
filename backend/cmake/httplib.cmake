# cpp-httplib 0.18.7 with Debian 13's security patches, unpacked by
# scripts/setup.sh into third_party/cpp-httplib (never vendored). Upstream's
# own CMake splits the header into httplib.h + httplib.cc and builds a static
# library, so the routes compile against a small header.
set(INVITES_HTTPLIB_DIR ${PROJECT_SOURCE_DIR}/third_party/cpp-httplib)
if(NOT EXISTS ${INVITES_HTTPLIB_DIR}/httplib.h)
  message(FATAL_ERROR "${INVITES_HTTPLIB_DIR} is missing: run scripts/setup.sh (it fetches cpp-httplib)")
endif()

set(HTTPLIB_COMPILE ON)
set(HTTPLIB_INSTALL OFF)
set(HTTPLIB_REQUIRE_OPENSSL ON)
set(HTTPLIB_REQUIRE_ZLIB ON)
set(HTTPLIB_REQUIRE_BROTLI ON)
add_subdirectory(${INVITES_HTTPLIB_DIR} ${CMAKE_BINARY_DIR}/third_party/cpp-httplib EXCLUDE_FROM_ALL)

target_compile_definitions(httplib PUBLIC
  # poll() instead of select(): sockets numbered past FD_SETSIZE (1024) work.
  CPPHTTPLIB_USE_POLL
  # The kernel queues this many connections before accept (capped by
  # net.core.somaxconn); upstream's 5 reset connections of a burst.
  CPPHTTPLIB_LISTEN_BACKLOG=1024)
