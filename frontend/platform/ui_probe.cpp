#include "platform/ui_probe.hpp"

#include <emscripten.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <cstdio>
#include <string>
#include <vector>

namespace {

struct Item {
  ImGuiID id;
  ImRect rect;
  std::string label;
};

std::vector<Item> g_current;
std::vector<Item> g_last;
std::string g_json;

void append_json_string(std::string& out, const std::string& text) {
  out += '"';
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", u);
      out += escaped;
    } else {
      out += c;
    }
  }
  out += '"';
}

}  // namespace

// --- core ImGui test-engine hooks (declared in imgui_internal.h) -------------

void ImGuiTestEngineHook_ItemAdd(ImGuiContext*, ImGuiID id, const ImRect& bb, const ImGuiLastItemData*) {
  g_current.push_back(Item{id, bb, {}});
}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext*, ImGuiID id, const char* label, ImGuiItemStatusFlags) {
  if (label == nullptr) return;
  for (auto it = g_current.rbegin(); it != g_current.rend(); ++it) {
    if (it->id == id) {
      it->label = label;
      return;
    }
  }
}

void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}

const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID id) {
  for (const Item& item : g_last)
    if (item.id == id && !item.label.empty()) return item.label.c_str();
  return nullptr;
}

// --- page side -----------------------------------------------------------------

extern "C" EMSCRIPTEN_KEEPALIVE const char* invites_probe_items_json() {
  g_json = "[";
  for (const Item& item : g_last) {
    if (item.label.empty()) continue;  // only labelled items are addressable
    if (g_json.size() > 1) g_json += ',';
    char numbers[160];
    std::snprintf(numbers, sizeof numbers, "{\"id\":%u,\"x\":%.1f,\"y\":%.1f,\"w\":%.1f,\"h\":%.1f,\"label\":", item.id,
                  static_cast<double>(item.rect.Min.x), static_cast<double>(item.rect.Min.y),
                  static_cast<double>(item.rect.GetWidth()), static_cast<double>(item.rect.GetHeight()));
    g_json += numbers;
    append_json_string(g_json, item.label);
    g_json += '}';
  }
  g_json += ']';
  return g_json.c_str();
}

EM_JS(void, js_define_items, (), {
  var app = window['invitesApp'] || (window['invitesApp'] = {});
  app['items'] = function() { return JSON.parse(UTF8ToString(_invites_probe_items_json())); };
});

namespace invites::platform::ui_probe {

void install() {
  ImGui::GetCurrentContext()->TestEngineHookItems = true;
  js_define_items();
}

void frame_end() {
  g_last.swap(g_current);
  g_current.clear();
}

}  // namespace invites::platform::ui_probe
