#include "platform/ui_probe.hpp"

#include "semantics/change_list.hpp"

#include <emscripten.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <cstdio>
#include <string>
#include <vector>

namespace {

using invites::semantics::append_json_string;

struct Item {
  ImGuiID id;
  ImRect rect;
  std::string label;
};

std::vector<Item> frame_items;
std::vector<Item> last_frame_items;
std::string last_items_json;

}  // namespace

// --- core ImGui test-engine hooks (declared in imgui_internal.h) -------------

void ImGuiTestEngineHook_ItemAdd(ImGuiContext*, ImGuiID id, const ImRect& bb, const ImGuiLastItemData*) {
  frame_items.push_back(Item{id, bb, {}});
}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext*, ImGuiID id, const char* label, ImGuiItemStatusFlags) {
  if (label == nullptr) return;
  for (auto it = frame_items.rbegin(); it != frame_items.rend(); ++it) {
    if (it->id == id) {
      it->label = label;
      return;
    }
  }
}

void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}

const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID id) {
  for (const Item& item : last_frame_items)
    if (item.id == id && !item.label.empty()) return item.label.c_str();
  return nullptr;
}

// --- page side -----------------------------------------------------------------

extern "C" EMSCRIPTEN_KEEPALIVE const char* invites_probe_items_json() {
  last_items_json = "[";
  for (const Item& item : last_frame_items) {
    if (item.label.empty()) continue;  // only labelled items are addressable
    if (last_items_json.size() > 1) last_items_json += ',';
    char numbers[160];
    std::snprintf(numbers, sizeof numbers, "{\"id\":%u,\"x\":%.1f,\"y\":%.1f,\"w\":%.1f,\"h\":%.1f,\"label\":", item.id,
                  static_cast<double>(item.rect.Min.x), static_cast<double>(item.rect.Min.y),
                  static_cast<double>(item.rect.GetWidth()), static_cast<double>(item.rect.GetHeight()));
    last_items_json += numbers;
    append_json_string(last_items_json, item.label);
    last_items_json += '}';
  }
  last_items_json += ']';
  return last_items_json.c_str();
}

// JavaScript: clang-format would break it (`===` becomes `== =`).
// clang-format off
EM_JS(void, js_define_items, (), {
  var app = window['invitesApp'] || (window['invitesApp'] = {});
  app['items'] = function() { return JSON.parse(UTF8ToString(_invites_probe_items_json())); };
});
// clang-format on

namespace invites::platform::ui_probe {

void install() {
  ImGui::GetCurrentContext()->TestEngineHookItems = true;
  js_define_items();
}

void frame_end() {
  last_frame_items.swap(frame_items);
  frame_items.clear();
}

}  // namespace invites::platform::ui_probe
