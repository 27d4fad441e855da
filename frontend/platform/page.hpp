#pragma once
// The app's side of the page: hides the "Loading…" text at the first frame,
// shows fatal errors in its place, and publishes a small read-only status
// object `window.invitesApp` (ready, frames, server state, canvas metrics)
// that the page and the browser tests can read.

namespace invites::platform::page {

// First frame is on screen: removes the loading text, sets invitesApp.ready.
void publish_ready();

// Replaces the loading text with an error message (the app cannot run).
void show_fatal(const char* message);

// invitesApp[key] = value
void publish(const char* key, const char* value);
void publish(const char* key, double value);

}  // namespace invites::platform::page
