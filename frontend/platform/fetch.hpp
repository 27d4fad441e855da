#pragma once
// HTTP requests through the browser's fetch(), for app::Fetcher: same-origin
// credentials (the session cookie), optional X-CSRF-Token, a timeout
// (AbortController). Callbacks run from fetch_dispatch(), once per main-loop tick.

#include "app/fetcher.hpp"

namespace invites::platform {

// Starts a request; `done` runs later from fetch_dispatch().
void fetch(app::FetchRequest request, app::FetchCallback done);

// Runs the callbacks of finished requests. Call once per main-loop tick.
void fetch_dispatch();

// Number of requests started and not yet dispatched.
int fetch_in_flight();

}  // namespace invites::platform
