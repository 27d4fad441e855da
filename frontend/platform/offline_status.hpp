#pragma once
// window.invitesApp keys of the offline preview (see frontend/README.md).
#include "app/state.hpp"

namespace invites::platform {
void publish_offline_status(const app::State& state);
}
