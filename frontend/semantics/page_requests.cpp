#include "semantics/page_requests.hpp"

#include "semantics/text_offsets.hpp"

#include <algorithm>
#include <utility>

namespace invites::semantics {

namespace {
constexpr int request_lifetime = 4;  // frames a focus or activation waits for its item
}

void PageRequests::focus(Key key, bool by_app) {
  dom_focus_ = key;
  if (by_app) return;
  if (key == root_key) {
    focus_request_.reset();
    return;
  }
  focus_request_ = Waiting{key, 0};
}

void PageRequests::activate(Key key) {
  if (key != root_key) activations_.push_back(Waiting{key, 0});
}

void PageRequests::edit(Key key, std::string text, std::size_t utf16_start, std::size_t utf16_end) {
  TextEdit edit;
  edit.selection_start = utf8_offset(text, std::min(utf16_start, utf16_end));
  edit.selection_end = utf8_offset(text, std::max(utf16_start, utf16_end));
  edit.text = std::move(text);
  edits_[key] = std::move(edit);
}

void PageRequests::submit(Key key) {
  submitted_ = key;
  submit_frames_ = 0;
}

void PageRequests::copy(Key key) {
  copy_ = key;
  copy_frames_ = 0;
}

bool PageRequests::take_focus(Key key) {
  if (!focus_request_ || focus_request_->key != key) return false;
  focus_request_.reset();
  return true;
}

bool PageRequests::wants_activation(Key key) const {
  return std::any_of(activations_.begin(), activations_.end(), [key](const Waiting& w) { return w.key == key; });
}

bool PageRequests::take_activation(Key key) {
  const auto it =
      std::find_if(activations_.begin(), activations_.end(), [key](const Waiting& w) { return w.key == key; });
  if (it == activations_.end()) return false;
  activations_.erase(it);
  activation_taken_ = true;
  return true;
}

std::vector<Key> PageRequests::waiting() const {
  std::vector<Key> keys;
  if (focus_request_) keys.push_back(focus_request_->key);
  for (const Waiting& w : activations_) keys.push_back(w.key);
  return keys;
}

std::optional<TextEdit> PageRequests::take_edit(Key key) {
  const auto it = edits_.find(key);
  if (it == edits_.end()) return std::nullopt;
  TextEdit edit = std::move(it->second);
  edits_.erase(it);
  return edit;
}

bool PageRequests::pending() const {
  return focus_request_ || !activations_.empty() || !edits_.empty() || submitted_ || copy_;
}

void PageRequests::end_frame() {
  if (focus_request_ && ++focus_request_->frames >= request_lifetime) focus_request_.reset();
  for (Waiting& w : activations_) ++w.frames;
  std::erase_if(activations_, [](const Waiting& w) { return w.frames >= request_lifetime; });
  edits_.clear();
  // Delivered this frame, or waited too long: gone.
  const bool delivered = settled();
  if (submitted_ && (delivered || ++submit_frames_ >= request_lifetime)) submitted_.reset();
  if (copy_ && (delivered || ++copy_frames_ >= request_lifetime)) copy_.reset();
  activation_taken_ = false;
}

}  // namespace invites::semantics
