#pragma once
// The ENUM columns that read as common/'s vocabulary (db::Rows reads an enum
// through these): each names its parser and the column for the error.
#include <optional>
#include <string_view>

#include "db/rows.hpp"
#include "invites/recipients.hpp"
#include "invites/send_status.hpp"

namespace invites::db {

template <>
struct StoredEnum<JobStatus> {
  static std::optional<JobStatus> parse(std::string_view text) { return parse_job_status(text); }
  static constexpr const char* what = "send_jobs.status";
};

template <>
struct StoredEnum<OutboxStatus> {
  static std::optional<OutboxStatus> parse(std::string_view text) { return parse_outbox_status(text); }
  static constexpr const char* what = "send_outbox.status";
};

template <>
struct StoredEnum<Group> {
  static std::optional<Group> parse(std::string_view text) { return parse_group(text); }
  static constexpr const char* what = "send_outbox.recipient_group";
};

template <>
struct StoredEnum<PortalStatus> {
  static std::optional<PortalStatus> parse(std::string_view text) { return parse_portal_status(text); }
  static constexpr const char* what = "portal_users.status";
};

}  // namespace invites::db
