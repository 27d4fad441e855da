#include "semantics/node.hpp"

#include <cmath>

namespace invites::semantics {
namespace {

std::int32_t quarter_px(float px) { return static_cast<std::int32_t>(std::lround(px * 4.0f)); }

}  // namespace

Bounds Bounds::from_px(float x, float y, float w, float h) {
  return Bounds{quarter_px(x), quarter_px(y), quarter_px(w), quarter_px(h)};
}

Fields differing_fields(const Node& a, const Node& b) {
  Fields fields = 0;
  if (a.role != b.role) fields |= field_role;
  if (a.name != b.name) fields |= field_name;
  if (a.value != b.value) fields |= field_value;
  if (a.states != b.states) fields |= field_states;
  if (a.input != b.input) fields |= field_input;
  if (a.sort != b.sort) fields |= field_sort;
  if (a.level != b.level) fields |= field_level;
  if (a.bounds != b.bounds) fields |= field_bounds;
  if (a.labelled_by != b.labelled_by || a.described_by != b.described_by || a.controls != b.controls ||
      a.opener != b.opener)
    fields |= field_relations;
  if (a.row_count != b.row_count || a.row_index != b.row_index || a.col_count != b.col_count ||
      a.value_now != b.value_now || a.value_max != b.value_max)
    fields |= field_figures;
  if (a.parent != b.parent) fields |= field_parent;
  return fields;
}

}  // namespace invites::semantics
