#pragma once
// UI probe for browser tests: an ImGui canvas has no DOM, so the items drawn
// in the last frame (id, label, rectangle in CSS px) are recorded through core
// ImGui's IMGUI_ENABLE_TEST_ENGINE item hooks and offered to the page as
// `window.invitesApp.items()` → [{id, label, x, y, w, h}, …]. Recording is a
// few bytes per widget; the JSON is built only when the page asks.

namespace invites::platform::ui_probe {

// Enables the hooks on the current ImGui context and defines invitesApp.items().
void install();

// After ImGui::Render(): the items of this frame become "the last frame".
void frame_end();

}  // namespace invites::platform::ui_probe
