#include "invites/sql_filter.hpp"

#include "invites/email.hpp"

namespace invites {
namespace {

// Text and bound values grow together, so placeholders and values can never
// get out of step.
class SqlBuilder {
 public:
  SqlBuilder& text(std::string_view sql) {
    query_.text.append(sql);
    return *this;
  }
  SqlBuilder& value(SqlParam param) {
    query_.text.push_back('?');
    query_.params.push_back(std::move(param));
    return *this;
  }
  SqlBuilder& id_list(const std::vector<Id>& ids) {
    text("(");
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (i) text(", ");
      value(std::int64_t{ids[i]});
    }
    return text(")");
  }
  SqlQuery take() { return std::move(query_); }

 private:
  SqlQuery query_;
};

// docs/design.md §2.2: ASCII whitespace at either end.
const std::string trim_regex = "^[ \t\r\n]+|[ \t\r\n]+$";

void add_candidate_filters(SqlBuilder& sql, const Filter& f) {
  auto in_list = [&](const char* column, const std::vector<Id>& ids) {
    if (ids.empty()) return;
    sql.text("\n      AND ").text(column).text(" IN ").id_list(ids);
  };
  in_list("a.division_id", f.division_ids);
  in_list("a.account_class_id", f.account_class_ids);
  in_list("a.bill_group_id", f.bill_group_ids);
  in_list("a.account_source_id", f.account_source_ids);
  if (!f.site_source_ids.empty())
    sql.text("\n      AND EXISTS (SELECT 1 FROM sites s WHERE s.account_id = a.id AND s.site_source_id IN ")
        .id_list(f.site_source_ids)
        .text(")");
  if (f.active_service_only)
    sql.text(
        "\n      AND EXISTS (SELECT 1 FROM sites s JOIN services v ON v.site_id = s.id"
        " WHERE s.account_id = a.id AND v.active <> 0)");
  if (f.balance_due_only) sql.text("\n      AND a.balance > 0");
  if (f.without_autopay_only) sql.text("\n      AND a.autopay = 0");
  if (f.billing_contacts_only) sql.text("\n      AND c.is_billing <> 0");
}

// Common table expressions shared by both queries:
//   candidates: contacts whose account matches the filter, address trimmed;
//   normalized: the lower-cased address and the §2.3 validity verdict.
// Lower-casing is ASCII-only in the rule; LOWER() is Unicode-aware, so
// non-ASCII addresses (which are invalid anyway) are rejected by comparing
// character and byte lengths before LOWER() could map them into ASCII.
void add_normalized_candidates(SqlBuilder& sql, const Filter& f) {
  sql.text(
         "WITH candidates AS (\n"
         "    SELECT c.id AS contact_id, REGEXP_REPLACE(c.email, ")
      .value(trim_regex)
      .text(
          ", '') AS trimmed\n"
          "    FROM contacts c JOIN accounts a ON a.id = c.account_id\n"
          "    WHERE 1 = 1");
  add_candidate_filters(sql, f);
  sql.text(
         "\n),\n"
         "normalized AS (\n"
         "    SELECT contact_id,\n"
         "           LOWER(trimmed) COLLATE utf8mb4_bin AS email,\n"
         "           COALESCE(trimmed IS NOT NULL\n"
         "                    AND CHAR_LENGTH(trimmed) = LENGTH(trimmed)\n"
         "                    AND LENGTH(trimmed) BETWEEN 1 AND ")
      .value(std::int64_t{max_email_length})
      .text("\n                    AND LENGTH(SUBSTRING_INDEX(trimmed, '@', 1)) <= ")
      .value(std::int64_t{max_local_part_length})
      .text("\n                    AND LOWER(trimmed) REGEXP ")
      .value(email_shape_regex())
      .text(
          ", FALSE) AS valid\n"
          "    FROM candidates\n"
          ")\n");
}

}  // namespace

const std::string& email_shape_regex() {
  // Every symbol is backslash-escaped: both PCRE and ICU read "\x" for a
  // non-alphanumeric x as the literal character.
  static const std::string local_char = R"([a-z0-9\!\#\$\%\&\'\*\+\/\=\?\^\_\`\{\|\}\~\-])";
  static const std::string label = R"([a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?)";
  static const std::string regex = "^" + local_char + "+(\\." + local_char + "+)*@(" + label + "\\.)+[a-z]{2,63}$";
  return regex;
}

SqlQuery recipients_query(const Filter& filter) {
  SqlBuilder sql;
  add_normalized_candidates(sql, filter);
  // group_for(): an active or disabled portal user first, then suppression
  // (docs/design.md §11), then the invitation status.
  sql.text(
      "SELECT CASE WHEN pu.status <> 'invited' THEN 'excluded_existing'\n"
      "            WHEN su.email IS NOT NULL THEN 'skipped_suppressed'\n"
      "            WHEN pu.status IS NULL THEN 'new_users'\n"
      "            ELSE 'pending_invites' END AS group_name,\n"
      "       r.email, r.contact_id\n"
      "FROM (SELECT email, MIN(contact_id) AS contact_id FROM normalized WHERE valid GROUP BY email) r\n"
      "LEFT JOIN portal_users pu ON pu.email = r.email\n"
      "LEFT JOIN address_suppressions su ON su.email = r.email AND su.lifted_at IS NULL");
  return sql.take();
}

SqlQuery recipient_counts_query(const Filter& filter) {
  SqlQuery query = recipients_query(filter);
  query.text = "SELECT r.group_name, COUNT(*) FROM (\n" + query.text + "\n) r GROUP BY r.group_name";
  return query;
}

SqlQuery skipped_invalid_count_query(const Filter& filter) {
  SqlBuilder sql;
  add_normalized_candidates(sql, filter);
  sql.text("SELECT COUNT(*) FROM normalized WHERE NOT valid");
  return sql.take();
}

}  // namespace invites
