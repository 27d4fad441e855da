#include "mail/report_fields.hpp"

#include <algorithm>
#include <cctype>

namespace invites::mail {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

// RFC 5322 §3.6.8: printable ASCII but ':' and space.
bool is_field_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return c > ' ' && c <= '~' && c != ':'; });
}

std::string lowered(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string shortened(std::string_view line) {
  constexpr std::size_t shown = 60;
  return line.size() <= shown ? std::string(line) : std::string(line.substr(0, shown)) + "...";
}

}  // namespace

std::string FieldGroup::value(std::string_view name) const {
  for (const ReportField& field : fields_)
    if (field.name == name) return field.value;
  return {};
}

std::vector<std::string> FieldGroup::values(std::string_view name) const {
  std::vector<std::string> found;
  for (const ReportField& field : fields_)
    if (field.name == name) found.push_back(field.value);
  return found;
}

bool FieldGroup::has(std::string_view name) const {
  return std::any_of(fields_.begin(), fields_.end(), [&](const ReportField& field) { return field.name == name; });
}

std::vector<FieldGroup> parse_field_groups(std::string_view text) {
  std::vector<FieldGroup> groups;
  std::vector<ReportField> current;
  std::size_t line_number = 0;
  const auto close_group = [&] {
    if (!current.empty()) groups.emplace_back(std::move(current));
    current.clear();
  };
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty()) {
      close_group();
    } else if (is_blank(line.front())) {
      if (current.empty())
        throw ReportError("report line " + std::to_string(line_number) + " continues a field that does not exist");
      current.back().value += " ";
      current.back().value += trim(line);
    } else {
      const std::size_t colon = line.find(':');
      const std::string_view name = colon == std::string_view::npos ? line : trim(line.substr(0, colon));
      if (colon == std::string_view::npos || !is_field_name(name))
        throw ReportError("report line " + std::to_string(line_number) + " is not a \"Name: value\" field: \"" +
                          shortened(line) + "\"");
      current.push_back({lowered(name), std::string(trim(line.substr(colon + 1)))});
    }
  }
  close_group();
  if (groups.empty()) throw ReportError("the report has no fields");
  return groups;
}

std::string typed_address(std::string_view value) {
  const std::size_t semicolon = value.find(';');
  std::string_view address = trim(semicolon == std::string_view::npos ? value : value.substr(semicolon + 1));
  if (const std::size_t comment = address.find('('); comment != std::string_view::npos)
    address = trim(address.substr(0, comment));
  if (address.size() >= 2 && address.front() == '<' && address.back() == '>')
    address = trim(address.substr(1, address.size() - 2));
  return std::string(address);
}

}  // namespace invites::mail
