#pragma once
// The link between the app and the page's DOM layer (web/a11y_layer.js): the
// frame's change list goes to the layer, and what the page does there (focus,
// activation, text of the input elements, Enter, Ctrl+C) comes back as
// semantics::PageRequests; the navigation keys (arrows, Home/End, Page
// Up/Down, Escape) go to ImGui's keyboard navigation. The layer owns the
// keyboard: GLFW's own key listeners are removed, so Backspace and Tab reach
// the page's input elements and the browser's focus order.

#include "semantics/page_requests.hpp"
#include "semantics/tree.hpp"

#include <string>

namespace invites::platform {

class A11yBridge {
 public:
  // Connects the layer; false when the page has none (the script did not load).
  bool install(semantics::PageRequests& requests);
  // Sends the changes of the frame `tree` just ended (nothing when there are none).
  void publish(const semantics::Tree& tree, const semantics::Changes& changes);

 private:
  std::string json_;
};

}  // namespace invites::platform
