#include "invites/filter.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <string>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "invites/error.hpp"

namespace invites {
namespace {

using nlohmann::json;

std::string join_path(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  return std::string(path) + "." + std::string(key);
}

const char* json_type_name(const json& value) {
  if (value.is_string()) return "a string";
  if (value.is_boolean()) return "a boolean";
  if (value.is_number_integer()) return "an integer";
  if (value.is_number()) return "a number";
  if (value.is_array()) return "an array";
  if (value.is_object()) return "an object";
  return "null";
}

std::vector<Id> parse_id_list(const json& value, const std::string& field) {
  if (!value.is_array())
    throw ValidationError(field, std::string("must be an array of ids, not ") + json_type_name(value));
  std::vector<Id> ids;
  ids.reserve(value.size());
  std::unordered_set<Id> seen;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const json& item = value[i];
    std::string item_field = field + "[" + std::to_string(i) + "]";
    if (!item.is_number_integer())
      throw ValidationError(item_field, std::string("must be a positive integer id, not ") + json_type_name(item));
    bool in_range = item.is_number_unsigned()
                        ? item.get<std::uint64_t>() >= 1 && item.get<std::uint64_t>() <= std::numeric_limits<Id>::max()
                        : item.get<std::int64_t>() >= 1 && item.get<std::int64_t>() <= std::numeric_limits<Id>::max();
    if (!in_range) throw ValidationError(item_field, "must be a positive integer id, not " + item.dump());
    Id id = static_cast<Id>(item.get<std::int64_t>());
    if (!seen.insert(id).second) throw ValidationError(item_field, "duplicate id " + std::to_string(id));
    ids.push_back(id);
  }
  return ids;
}

bool parse_flag(const json& value, const std::string& field) {
  if (!value.is_boolean())
    throw ValidationError(field, std::string("must be true or false, not ") + json_type_name(value));
  return value.get<bool>();
}

// The field of `fields` named `key`, or nullptr.
template <typename Field, std::size_t N>
const Field* field_named(const std::array<Field, N>& fields, std::string_view key) {
  const auto it = std::find_if(fields.begin(), fields.end(), [key](const Field& field) { return field.name == key; });
  return it == fields.end() ? nullptr : &*it;
}

void check_ids(const std::vector<Id>& ids, const std::unordered_set<Id>& known, const std::string& field) {
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (!known.contains(ids[i]))
      throw ValidationError(field + "[" + std::to_string(i) + "]", "unknown id " + std::to_string(ids[i]));
}

}  // namespace

Filter filter_from_json(const json& object, std::string_view path) {
  if (!object.is_object())
    throw ValidationError(std::string(path),
                          std::string("the filter must be a JSON object, not ") + json_type_name(object));
  Filter filter;
  for (const auto& [key, value] : object.items()) {
    std::string field = join_path(path, key);
    if (const FilterIdList* list = field_named(filter_id_lists, key))
      filter.*list->ids = parse_id_list(value, field);
    else if (const FilterFlag* flag = field_named(filter_flags, key))
      filter.*flag->on = parse_flag(value, field);
    else
      throw ValidationError(field, "unknown filter field");
  }
  return filter;
}

Filter parse_filter(std::string_view json_text) {
  json document = json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) throw ValidationError("", "the filter is not valid JSON");
  return filter_from_json(document);
}

json filter_to_json(const Filter& filter) {
  json out = json::object();
  for (const FilterIdList& list : filter_id_lists) out[list.name] = filter.*list.ids;
  for (const FilterFlag& flag : filter_flags) out[flag.name] = filter.*flag.on;
  return out;
}

void check_known_ids(const Filter& filter, const KnownIds& known, std::string_view path) {
  for (const FilterIdList& list : filter_id_lists)
    check_ids(filter.*list.ids, known.*list.known, join_path(path, list.name));
}

}  // namespace invites
