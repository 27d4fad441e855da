#include "semantics/page_requests.hpp"

#include "semantics/text_offsets.hpp"

#include <algorithm>
#include <utility>

namespace invites::semantics {

namespace {
constexpr int focus_request_lifetime = 3;  // frames
}

void PageRequests::focus(Key key, bool by_app) {
  dom_focus_ = key;
  if (by_app) return;
  if (key == root_key) {
    focus_request_.reset();
    return;
  }
  focus_request_ = key;
  focus_request_frames_ = 0;
}

void PageRequests::activate(Key key) {
  if (key != root_key) activations_.push_back(key);
}

void PageRequests::edit(Key key, std::string text, std::size_t utf16_start, std::size_t utf16_end) {
  TextEdit edit;
  edit.selection_start = utf8_offset(text, std::min(utf16_start, utf16_end));
  edit.selection_end = utf8_offset(text, std::max(utf16_start, utf16_end));
  edit.text = std::move(text);
  edits_[key] = std::move(edit);
}

void PageRequests::submit(Key key) { submitted_ = key; }
void PageRequests::copy(Key key) { copy_ = key; }

bool PageRequests::take_focus(Key key) {
  if (!focus_request_ || *focus_request_ != key) return false;
  focus_request_.reset();
  return true;
}

bool PageRequests::take_activation(Key key) {
  const auto it = std::find(activations_.begin(), activations_.end(), key);
  if (it == activations_.end()) return false;
  activations_.erase(it);
  return true;
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
  if (focus_request_ && ++focus_request_frames_ >= focus_request_lifetime) focus_request_.reset();
  activations_.clear();
  edits_.clear();
  submitted_.reset();
  copy_.reset();
}

}  // namespace invites::semantics
