#pragma once
// Everything the UI shows. Panels read it; only Actions change it.
// Later screens (session, lookups, filters, preview, jobs) add their parts here.

#include <string>

namespace invites::app {

enum class ServerStatus {
  Unknown,      // not checked yet
  Checking,     // GET /healthz in flight
  Connected,    // /healthz answered 2xx
  Unreachable,  // no answer, or an error status
};

const char* to_string(ServerStatus status);

struct ServerState {
  ServerStatus status = ServerStatus::Unknown;
  std::string problem;  // readable reason when Unreachable, e.g. "HTTP 404 Not Found"
  int checks = 0;       // how many checks were started
};

struct State {
  std::string version;  // build version shown in the shell
  ServerState server;
};

}  // namespace invites::app
