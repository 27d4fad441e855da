#include "semantics/change_list.hpp"

#include <cstdio>

namespace invites::semantics {
namespace {

void append_number(std::string& out, std::int64_t value) { out += std::to_string(value); }

void append_key_list(std::string& out, const std::vector<Key>& keys) {
  out += '[';
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i) out += ',';
    append_number(out, keys[i]);
  }
  out += ']';
}

void append_member(std::string& out, const char* name) {
  out += ",\"";
  out += name;
  out += "\":";
}

void append_node(std::string& out, const Node& node, Fields fields) {
  out += "{\"k\":";
  append_number(out, node.key);
  if (fields & field_parent) {
    append_member(out, "p");
    append_number(out, node.parent);
  }
  if (fields & field_role) {
    append_member(out, "r");
    append_json_string(out, role_name(node.role));
  }
  if (fields & field_name) {
    append_member(out, "n");
    append_json_string(out, node.name);
  }
  if (fields & field_value) {
    append_member(out, "v");
    append_json_string(out, node.value);
  }
  if (fields & field_states) {
    append_member(out, "s");
    append_number(out, node.states);
  }
  if (fields & field_input) {
    append_member(out, "i");
    append_json_string(out, input_name(node.input));
  }
  if (fields & field_sort) {
    append_member(out, "o");
    append_json_string(out, sort_name(node.sort));
  }
  if (fields & field_level) {
    append_member(out, "l");
    append_number(out, node.level);
  }
  if (fields & field_bounds) {
    append_member(out, "b");
    const Bounds& b = node.bounds;
    out += '[' + std::to_string(b.x) + ',' + std::to_string(b.y) + ',' + std::to_string(b.w) + ',' +
           std::to_string(b.h) + ']';
  }
  if (fields & field_relations) {
    append_member(out, "rel");
    append_key_list(out, {node.labelled_by, node.described_by, node.controls, node.opener});
  }
  if (fields & field_figures) {
    append_member(out, "fig");
    out += '[';
    const std::int64_t figures[] = {node.row_count, node.row_index, node.col_count, node.value_now, node.value_max};
    for (std::size_t i = 0; i < std::size(figures); ++i) {
      if (i) out += ',';
      append_number(out, figures[i]);
    }
    out += ']';
  }
  out += '}';
}

}  // namespace

const char* role_name(Role role) {
  switch (role) {
    case Role::text:
      return "text";
    case Role::heading:
      return "heading";
    case Role::group:
      return "group";
    case Role::form:
      return "form";
    case Role::main:
      return "main";
    case Role::button:
      return "button";
    case Role::link:
      return "link";
    case Role::checkbox:
      return "checkbox";
    case Role::combobox:
      return "combobox";
    case Role::listbox:
      return "listbox";
    case Role::option:
      return "option";
    case Role::textbox:
      return "textbox";
    case Role::tablist:
      return "tablist";
    case Role::tab:
      return "tab";
    case Role::tabpanel:
      return "tabpanel";
    case Role::grid:
      return "grid";
    case Role::row:
      return "row";
    case Role::columnheader:
      return "columnheader";
    case Role::gridcell:
      return "gridcell";
    case Role::dialog:
      return "dialog";
    case Role::progressbar:
      return "progressbar";
  }
  return "text";
}

const char* input_name(InputKind input) {
  switch (input) {
    case InputKind::none:
      return "";
    case InputKind::text:
      return "text";
    case InputKind::username:
      return "username";
    case InputKind::current_password:
      return "current-password";
    case InputKind::email:
      return "email";
    case InputKind::search:
      return "search";
    case InputKind::multiline:
      return "multiline";
  }
  return "";
}

const char* sort_name(Sort sort) {
  switch (sort) {
    case Sort::none:
      return "none";
    case Sort::ascending:
      return "ascending";
    case Sort::descending:
      return "descending";
  }
  return "none";
}

void append_json_string(std::string& out, std::string_view text) {
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

void write_change_list(const Tree& tree, const Changes& changes, std::string& out) {
  const std::vector<Node>& nodes = tree.nodes();
  out += "{\"u\":[";
  for (std::size_t i = 0; i < changes.upserts.size(); ++i) {
    if (i) out += ',';
    const Upsert& upsert = changes.upserts[i];
    append_node(out, nodes[upsert.index], upsert.fields);
  }
  out += "],\"d\":";
  append_key_list(out, changes.removed);
  out += ",\"c\":[";
  for (std::size_t i = 0; i < changes.reordered.size(); ++i) {
    if (i) out += ',';
    out += '[';
    append_number(out, changes.reordered[i].parent);
    out += ',';
    append_key_list(out, changes.reordered[i].children);
    out += ']';
  }
  out += "],\"f\":";
  append_number(out, changes.focus);
  out += ",\"a\":[";
  for (std::size_t i = 0; i < changes.announcements.size(); ++i) {
    if (i) out += ',';
    const Announcement& a = changes.announcements[i];
    out += a.politeness == Politeness::assertive ? "[1," : "[0,";
    append_json_string(out, a.text);
    out += ']';
  }
  out += "]}";
}

}  // namespace invites::semantics
