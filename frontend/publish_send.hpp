#pragma once
// Publishes the send, jobs and setup state on window.invitesApp (for the
// page and browser tests), next to main.cpp's other keys.

#include "app/state.hpp"

namespace invites {

void publish_send_status(const app::State& state);

}  // namespace invites
