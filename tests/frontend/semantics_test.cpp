// The semantic tree (frontend/semantics/): what a frame reports, the change
// list against the previous frame, live-message de-duplication, the page's
// requests and the UTF-16/UTF-8 caret conversion.
#include "semantics/change_list.hpp"
#include "semantics/key_index.hpp"
#include "semantics/page_requests.hpp"
#include "semantics/text_offsets.hpp"
#include "semantics/tree.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>

using namespace invites::semantics;
using nlohmann::json;

namespace {

Node button(Key key, std::string name, float x = 10) {
  Node node;
  node.key = key;
  node.role = Role::button;
  node.name = std::move(name);
  node.bounds = Bounds::from_px(x, 20, 80, 30);
  return node;
}

Node row(Key key) {
  Node node;
  node.key = key;
  node.role = Role::row;
  return node;
}

Node cell(Key key, std::string name, Bounds bounds) {
  Node node;
  node.key = key;
  node.role = Role::gridcell;
  node.name = std::move(name);
  node.bounds = bounds;
  return node;
}

Node group(Key key, std::string name) {
  Node node;
  node.key = key;
  node.role = Role::group;
  node.name = std::move(name);
  return node;
}

// One frame with a card (key 100) at `y`: its content drawn by `draw`, or,
// `skipped` (ImGui drew nothing in it), last frame's content kept and moved with it.
template <typename Draw>
const Changes& card_frame(Tree& tree, float y, bool skipped, Draw draw) {
  tree.begin_frame();
  Node card = group(100, "card");
  card.bounds = Bounds::from_px(0, y, 400, 100);
  const Key key = tree.open(card);
  if (skipped) {
    const Node* before = tree.find_previous(key);
    tree.keep_previous_children(key, card.bounds.x - before->bounds.x, card.bounds.y - before->bounds.y);
  } else {
    draw();
  }
  tree.close();
  return tree.end_frame();
}

// One frame: a form with a Load button and, optionally, a Close button.
const Changes& form_frame(Tree& tree, const std::string& load_label = "Load", bool with_close = false) {
  tree.begin_frame();
  tree.open(group(100, "Filters"));
  tree.add(button(1, load_label));
  if (with_close) tree.add(button(2, "Close", 100));
  tree.close();
  return tree.end_frame();
}

json encoded(const Tree& tree, const Changes& changes) {
  std::string out;
  write_change_list(tree, changes, out);
  return json::parse(out);
}

}  // namespace

TEST_CASE("semantics: the first frame reports every node, in document order, with its parent") {
  Tree tree;
  const Changes& changes = form_frame(tree);
  REQUIRE(changes.upserts.size() == 2);
  CHECK(tree.nodes()[changes.upserts[0].index].key == 100);
  CHECK(tree.nodes()[changes.upserts[1].index].parent == 100);
  CHECK(changes.upserts[1].fields == all_fields);
  REQUIRE(changes.reordered.size() == 2);  // the root gets the group, the group gets the button
  CHECK(changes.reordered[0].parent == root_key);
  CHECK(changes.reordered[0].children == std::vector<Key>{100});
  CHECK(changes.reordered[1].children == std::vector<Key>{1});
}

TEST_CASE("semantics: a frame without change gives an empty change list") {
  Tree tree;
  form_frame(tree);
  const Changes& again = form_frame(tree);
  CHECK(again.empty());
  CHECK(encoded(tree, again) == json::parse(R"({"u":[],"d":[],"c":[],"f":0,"a":[]})"));
}

TEST_CASE("semantics: only the fields that changed are reported") {
  Tree tree;
  form_frame(tree);
  const Changes& changes = form_frame(tree, "Loading");
  REQUIRE(changes.upserts.size() == 1);
  CHECK(changes.upserts[0].fields == field_name);
  CHECK(changes.reordered.empty());
  const json list = encoded(tree, changes);
  CHECK(list["u"] == json::parse(R"([{"k":1,"n":"Loading"}])"));
}

TEST_CASE("semantics: moved bounds below a quarter pixel are no change, above are") {
  Tree tree;
  auto frame = [&](float x) -> const Changes& {
    tree.begin_frame();
    tree.add(button(1, "Load", x));
    return tree.end_frame();
  };
  frame(10.0f);
  CHECK(frame(10.05f).empty());
  const Changes& moved = frame(12.0f);
  REQUIRE(moved.upserts.size() == 1);
  CHECK(moved.upserts[0].fields == field_bounds);
  CHECK(encoded(tree, moved)["u"][0]["b"] == json::array({48, 80, 320, 120}));
}

TEST_CASE("semantics: added and removed nodes, and the children order of their parent") {
  Tree tree;
  form_frame(tree);
  const Changes& added = form_frame(tree, "Load", true);
  REQUIRE(added.upserts.size() == 1);
  CHECK(tree.nodes()[added.upserts[0].index].name == "Close");
  REQUIRE(added.reordered.size() == 1);
  CHECK(added.reordered[0].parent == 100);
  CHECK(added.reordered[0].children == std::vector<Key>{1, 2});

  const Changes& removed = form_frame(tree);
  CHECK(removed.upserts.empty());
  CHECK(removed.removed == std::vector<Key>{2});
  CHECK(removed.reordered.empty());  // the last child went: the others kept their places
}

TEST_CASE("semantics: swapped siblings are a reorder of their parent only") {
  Tree tree;
  auto frame = [&](bool swapped) -> const Changes& {
    tree.begin_frame();
    tree.open(group(100, "Rows"));
    tree.add(button(swapped ? 2 : 1, swapped ? "B" : "A"));
    tree.add(button(swapped ? 1 : 2, swapped ? "A" : "B"));
    tree.close();
    return tree.end_frame();
  };
  frame(false);
  const Changes& changes = frame(true);
  CHECK(changes.upserts.empty());
  REQUIRE(changes.reordered.size() == 1);
  CHECK(changes.reordered[0].children == std::vector<Key>{2, 1});
}

TEST_CASE("semantics: a node that moves to another container reports its new parent") {
  Tree tree;
  auto frame = [&](Key parent_of_button) -> const Changes& {
    tree.begin_frame();
    for (const Key container : {Key{100}, Key{200}}) {
      tree.open(group(container, "group"));
      if (container == parent_of_button) tree.add(button(1, "Load"));
      tree.close();
    }
    return tree.end_frame();
  };
  frame(100);
  const Changes& changes = frame(200);
  REQUIRE(changes.upserts.size() == 1);
  CHECK(changes.upserts[0].fields == field_parent);
  REQUIRE(changes.reordered.size() == 1);
  CHECK(changes.reordered[0].parent == 200);
}

TEST_CASE("semantics: a container opened under an outer one is placed there (a tab's panel beside the tab list)") {
  Tree tree;
  tree.begin_frame();
  tree.open(group(100, "main"));
  const Key list = tree.open(group(200, "tabs"));
  tree.add(button(1, "Send"));
  tree.open_under(100, group(300, "panel"));
  tree.add(button(2, "Load"));
  tree.close();
  tree.add(button(3, "Jobs"));
  tree.close();
  tree.close();
  const Changes& changes = tree.end_frame();
  CHECK(tree.find(300)->parent == 100);
  CHECK(tree.find(2)->parent == 300);
  CHECK(tree.find(3)->parent == list);
  const auto children_of = [&](Key parent) -> const std::vector<Key>* {
    const auto it = std::find_if(changes.reordered.begin(), changes.reordered.end(),
                                 [&](const Reorder& r) { return r.parent == parent; });
    return it == changes.reordered.end() ? nullptr : &it->children;
  };
  REQUIRE(children_of(100) != nullptr);
  REQUIRE(children_of(200) != nullptr);
  CHECK(*children_of(100) == std::vector<Key>{200, 300});
  CHECK(*children_of(200) == std::vector<Key>{1, 3});
}

TEST_CASE("semantics: a container that draws nothing keeps last frame's children, moved with it") {
  Tree tree;
  auto frame = [&](bool skipped, float y) -> const Changes& {
    return card_frame(tree, y, skipped, [&] {
      tree.open(group(110, "inner"));
      tree.add(button(1, "Load", 10));
      tree.close();
    });
  };
  frame(false, 50);
  const Changes& kept = frame(true, 30);  // scrolled up by 20 px
  CHECK(kept.removed.empty());
  CHECK(kept.reordered.empty());
  REQUIRE(tree.find(1) != nullptr);
  CHECK(tree.find(1)->parent == 110);
  CHECK(tree.find(1)->bounds.y == 0);  // was 20 px down, moved up 20 px
  CHECK(frame(true, 30).upserts.size() == 0);
}

TEST_CASE("semantics: a row encloses its cells, whose bounds are relative to it, so a scrolled row is one change") {
  Tree tree;
  auto frame = [&](float y) -> const Changes& {
    tree.begin_frame();
    tree.open(group(100, "grid"));
    tree.open(row(200));
    tree.add(cell(201, "alice@example.com", Bounds::from_px(10, y, 200, 20)));
    tree.add(cell(202, "Alice", Bounds::from_px(220, y + 2, 100, 16)));
    tree.add(group(203, "a cell with controls"));  // a container without bounds keeps none
    tree.close();
    tree.close();
    return tree.end_frame();
  };
  frame(100);
  REQUIRE(tree.find(200) != nullptr);
  CHECK(tree.find(200)->bounds == Bounds::from_px(10, 100, 310, 20));
  CHECK(tree.find(201)->bounds == Bounds::from_px(0, 0, 200, 20));
  CHECK(tree.find(202)->bounds == Bounds::from_px(210, 2, 100, 16));
  CHECK(tree.find(203)->bounds == Bounds{});
  CHECK(tree.bounds_on_canvas(*tree.find(202)) == Bounds::from_px(220, 102, 100, 16));

  const Changes& scrolled = frame(80);
  REQUIRE(scrolled.upserts.size() == 1);
  CHECK(tree.nodes()[scrolled.upserts[0].index].key == 200);
  CHECK(scrolled.upserts[0].fields == field_bounds);
}

TEST_CASE("semantics: a kept row moves with its container, its cells stay where they are in it") {
  Tree tree;
  auto frame = [&](bool skipped, float y) {
    card_frame(tree, y, skipped, [&] {
      tree.open(row(200));
      tree.add(cell(201, "alice@example.com", Bounds::from_px(10, y + 10, 200, 20)));
      tree.close();
    });
  };
  frame(false, 50);
  frame(true, 30);
  CHECK(tree.find(200)->bounds == Bounds::from_px(10, 40, 200, 20));
  CHECK(tree.find(201)->bounds == Bounds::from_px(0, 0, 200, 20));
}

TEST_CASE("semantics: a key used twice in a frame is made unique, the same way every frame") {
  Tree tree;
  auto frame = [&]() -> const Changes& {
    tree.begin_frame();
    tree.add(button(7, "first"));
    tree.add(button(7, "second"));
    return tree.end_frame();
  };
  frame();
  REQUIRE(tree.nodes().size() == 2);
  CHECK(tree.nodes()[0].key == 7);
  CHECK(tree.nodes()[1].key != 7);
  CHECK(tree.nodes()[1].key != root_key);
  CHECK(frame().empty());
}

TEST_CASE("semantics: keys of nodes without an ImGui ID are stable and differ by place") {
  Tree tree;
  Key first[3];
  for (int round = 0; round < 2; ++round) {
    tree.begin_frame();
    tree.open(group(100, "a"));
    const Key a = tree.next_child_key("text");
    const Key b = tree.next_child_key("text");
    tree.close();
    tree.open(group(200, "b"));
    const Key c = tree.next_child_key("text");
    tree.close();
    tree.end_frame();
    if (round == 0) {
      first[0] = a, first[1] = b, first[2] = c;
      CHECK(a != b);
      CHECK(a != c);
    } else {
      CHECK(first[0] == a);
      CHECK(first[1] == b);
      CHECK(first[2] == c);
    }
  }
}

TEST_CASE("semantics: focus is reported when it moves, once") {
  Tree tree;
  auto frame = [&](Key focus) -> const Changes& {
    tree.begin_frame();
    tree.add(button(1, "Load"));
    tree.add(button(2, "Close"));
    tree.set_focus(focus);
    return tree.end_frame();
  };
  frame(0);
  CHECK(frame(2).focus == 2);
  CHECK(frame(2).empty());
  CHECK(frame(9).focus == root_key);  // an item without a node: nothing to move the page's focus to
  CHECK(frame(1).focus == 1);
}

TEST_CASE("semantics: a live message is announced when it appears or changes, not every frame") {
  Tree tree;
  auto frame = [&](std::vector<std::pair<Key, std::string>> messages) -> const Changes& {
    tree.begin_frame();
    for (auto& [source, text] : messages) tree.announce(source, Politeness::polite, text);
    return tree.end_frame();
  };
  const Changes& first = frame({{1, "Loaded: 120 new users"}});
  REQUIRE(first.announcements.size() == 1);
  CHECK(first.announcements[0].text == "Loaded: 120 new users");
  CHECK(frame({{1, "Loaded: 120 new users"}}).empty());
  CHECK(frame({{1, "Loaded: 120 new users"}}).empty());
  CHECK(frame({{1, "Loaded: 121 new users"}}).announcements.size() == 1);
  // Gone for a frame (a new Load running), then the same text: announced again.
  frame({});
  CHECK(frame({{1, "Loaded: 121 new users"}}).announcements.size() == 1);
}

TEST_CASE("semantics: the same message from two places in one frame is announced once, errors are assertive") {
  Tree tree;
  tree.begin_frame();
  tree.announce(1, Politeness::assertive, "Load failed: timeout");
  tree.announce(2, Politeness::assertive, "Load failed: timeout");
  tree.announce(3, Politeness::polite, "");
  const Changes& changes = tree.end_frame();
  REQUIRE(changes.announcements.size() == 1);
  CHECK(changes.announcements[0].politeness == Politeness::assertive);
  CHECK(encoded(tree, changes)["a"] == json::parse(R"([[1,"Load failed: timeout"]])"));
}

TEST_CASE("semantics: the change list carries every field the page needs, JSON-escaped") {
  Tree tree;
  tree.begin_frame();
  Node grid;
  grid.key = 50;
  grid.role = Role::grid;
  grid.name = "Recipients \"new users\"";
  grid.row_count = 100001;
  grid.col_count = 7;
  grid.labelled_by = 49;
  tree.open(grid);
  Node field;
  field.key = 51;
  field.role = Role::textbox;
  field.input = InputKind::search;
  field.value = "line\nbreak";
  field.states = invalid | disabled;
  field.described_by = 52;
  tree.add(field);
  tree.close();
  const json list = encoded(tree, tree.end_frame());
  const json& g = list["u"][0];
  CHECK(g["r"] == "grid");
  CHECK(g["n"] == "Recipients \"new users\"");
  CHECK(g["fig"] == json::array({100001, 0, 7, 0, 0}));
  CHECK(g["rel"] == json::array({49, 0, 0, 0}));
  const json& f = list["u"][1];
  CHECK(f["p"] == 50);
  CHECK(f["i"] == "search");
  CHECK(f["v"] == "line\nbreak");
  CHECK(f["s"] == (invalid | disabled));
  CHECK(f["rel"] == json::array({0, 52, 0, 0}));
}

TEST_CASE("semantics: reset() makes the next frame report everything again") {
  Tree tree;
  form_frame(tree);
  tree.reset();
  CHECK(form_frame(tree).upserts.size() == 2);
}

TEST_CASE("semantics: caret positions between UTF-16 (page) and UTF-8 (ImGui)") {
  const std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z";  // a é € 😀 z
  CHECK(utf8_offset(text, 0) == 0);
  CHECK(utf8_offset(text, 1) == 1);
  CHECK(utf8_offset(text, 2) == 3);
  CHECK(utf8_offset(text, 3) == 6);
  CHECK(utf8_offset(text, 5) == 10);  // after the surrogate pair
  CHECK(utf8_offset(text, 6) == 11);
  CHECK(utf8_offset(text, 99) == 11);
  CHECK(utf16_offset(text, 3) == 2);
  CHECK(utf16_offset(text, 10) == 5);
  CHECK(utf16_offset(text, 99) == 6);
}

TEST_CASE("semantics: page requests are taken once, and dropped after the frame") {
  PageRequests requests;
  requests.focus(5);
  requests.activate(6);
  requests.edit(7, "Mu\xC3\xA9ller", 3, 2);
  requests.submit(7);
  CHECK(requests.pending());
  CHECK(requests.dom_focus() == 5);
  CHECK_FALSE(requests.take_focus(4));
  CHECK(requests.take_focus(5));
  CHECK_FALSE(requests.take_focus(5));
  CHECK(requests.wants_activation(6));
  CHECK(requests.waiting() == std::vector<Key>{6});  // the focus request was taken
  CHECK(requests.take_activation(6));
  CHECK_FALSE(requests.take_activation(6));
  const auto edit = requests.take_edit(7);
  REQUIRE(edit);
  CHECK(edit->selection_start == 2);  // the selection is ordered and in bytes
  CHECK(edit->selection_end == 4);
  CHECK_FALSE(requests.submitted());  // Enter waits for the activation taken before it
  requests.end_frame();
  CHECK(requests.submitted() == Key{7});
  requests.end_frame();
  CHECK_FALSE(requests.pending());
  CHECK_FALSE(requests.submitted());
  CHECK(requests.dom_focus() == 5);  // where the page's focus is stays known
}

TEST_CASE("semantics: focus and activation requests wait a few frames for their item (a popup, a scroll), then lapse") {
  PageRequests requests;
  requests.focus(5);
  requests.activate(8);
  requests.end_frame();
  requests.end_frame();
  CHECK(requests.take_focus(5));
  CHECK(requests.wants_activation(8));
  requests.focus(6);
  for (int i = 0; i < 4; ++i) requests.end_frame();
  CHECK_FALSE(requests.take_focus(6));
  CHECK_FALSE(requests.take_activation(8));
  CHECK_FALSE(requests.pending());
  requests.focus(root_key);
  CHECK(requests.dom_focus() == root_key);
}

TEST_CASE("semantics: Enter and Ctrl+C wait until what was pressed before them took effect") {
  PageRequests requests;
  requests.activate(6);  // Space on a check box, then Enter in the form
  requests.submit(6);
  requests.copy(6);
  CHECK_FALSE(requests.submitted());  // the check box is not pressed yet
  CHECK(requests.take_activation(6));
  CHECK_FALSE(requests.submitted());  // pressed on the next frame
  requests.end_frame();
  CHECK(requests.submitted() == Key{6});
  CHECK(requests.copy_requested() == Key{6});
  requests.end_frame();
  CHECK_FALSE(requests.submitted());

  requests.copy(7);
  requests.set_input_queued(true);  // Shift+Down still queued for the UI
  CHECK_FALSE(requests.copy_requested());
  requests.end_frame();
  requests.set_input_queued(false);
  CHECK(requests.copy_requested() == Key{7});
}

TEST_CASE("semantics: a focus the page moved for the app is known but not requested back") {
  PageRequests requests;
  requests.focus(5, true);
  CHECK(requests.dom_focus() == 5);
  CHECK_FALSE(requests.take_focus(5));
  CHECK_FALSE(requests.pending());
}

TEST_CASE("semantics: the key index finds every key of a frame, grows, and empties for the next frame") {
  KeyIndex index;
  CHECK_FALSE(index.find(7).has_value());
  for (Key key = 1; key <= 2000; ++key) index.insert(key * 64, key - 1);  // keys that share their low bits
  for (Key key = 1; key <= 2000; ++key) {
    REQUIRE(index.find(key * 64).has_value());
    CHECK(*index.find(key * 64) == key - 1);
  }
  CHECK_FALSE(index.contains(65));
  CHECK_FALSE(index.contains(root_key));
  KeyIndex other;
  other.swap(index);
  CHECK(other.contains(128));
  CHECK_FALSE(index.contains(128));
  other.clear();
  CHECK_FALSE(other.contains(128));
  other.insert(128, 5);
  CHECK(*other.find(128) == 5);
}
