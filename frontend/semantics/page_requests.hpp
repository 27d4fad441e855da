#pragma once
// What the page asked for through the DOM layer since the last frame: the
// DOM focus moved (Tab, a screen reader, a tap), a node was activated (click,
// Enter, Space, a screen reader's default action), a text field's text or
// selection changed (typing, paste, IME, autofill), Enter submitted a form,
// Ctrl+C asked to copy. Page events arrive between frames; the widget helpers
// take them while drawing the next frame, and end_frame() drops what nobody
// took (its item is gone).

#include "semantics/node.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace invites::semantics {

// A text field's content as the page's input element holds it.
struct TextEdit {
  std::string text;
  std::size_t selection_start = 0;  // UTF-8 bytes
  std::size_t selection_end = 0;
};

class PageRequests {
 public:
  // --- from the page --------------------------------------------------------
  // The page's focus moved to `key` (root_key: it left the layer, e.g. a click
  // on the canvas). `by_app`: the layer moved it because the app's focus moved
  // there, so the UI need not follow (it is already there, or has moved on).
  void focus(Key key, bool by_app = false);
  void activate(Key key);
  // `utf16_start`/`utf16_end`: the input element's selection (UTF-16 units).
  void edit(Key key, std::string text, std::size_t utf16_start, std::size_t utf16_end);
  void submit(Key key);  // Enter in a form's field (root_key: with nothing focused)
  void copy(Key key);    // Ctrl+C with `key` focused and no text selected in the page

  // --- for the frame ----------------------------------------------------------
  // The node the page's focus is on (root_key: none of ours).
  Key dom_focus() const { return dom_focus_; }
  // The focus move the UI has not followed yet (taken once).
  bool take_focus(Key key);
  // Whether `key` waits to be activated, and taking that request (an item
  // scrolled out of view is first scrolled to, then activated a frame later).
  bool wants_activation(Key key) const;
  bool take_activation(Key key);
  // The nodes focus or activation requests wait for (to bring them into view).
  std::vector<Key> waiting() const;
  std::optional<TextEdit> take_edit(Key key);
  // This frame's Enter: from which node (root_key: nothing focused); nullopt: none.
  // Enter and Ctrl+C wait while something pressed before them is still on
  // its way (an activation takes effect a frame later, keys queued for the
  // UI are handled over frames), so they act on what the user saw.
  std::optional<Key> submitted() const { return settled() ? submitted_ : std::nullopt; }
  std::optional<Key> copy_requested() const { return settled() ? copy_ : std::nullopt; }
  // The UI still holds input it has not handled (set each frame before the requests are read).
  void set_input_queued(bool queued) { input_queued_ = queued; }

  // Whether anything is waiting (the idle gate draws a frame for it).
  bool pending() const;
  void end_frame();

 private:
  Key dom_focus_ = root_key;
  struct Waiting {
    Key key;
    int frames;  // frames it has waited
  };
  std::optional<Waiting> focus_request_;  // waits a few frames for its item (a popup opening, a scroll)
  std::vector<Waiting> activations_;
  std::unordered_map<Key, TextEdit> edits_;
  bool settled() const { return activations_.empty() && !activation_taken_ && !input_queued_; }

  std::optional<Key> submitted_;
  std::optional<Key> copy_;
  int submit_frames_ = 0, copy_frames_ = 0;  // frames they waited
  bool activation_taken_ = false;            // this frame: pressed on the next one
  bool input_queued_ = false;
};

}  // namespace invites::semantics
