#pragma once
// State of the suppression list (docs/design.md §11, permission 390): addresses that
// bounced or were reported as spam, never invited while suppressed, with the
// contacts and accounts that use them, for correction in billing. Included
// by app/state.hpp (after LoadStatus and Id are declared); not on its own.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace invites::app {

// A contact that uses a suppressed address, with its account.
struct SuppressedContact {
  Id contact_id = 0;
  std::string first_name, last_name, account_number, account_name;
};

// A row of GET /api/suppressions.
struct SuppressedAddress {
  std::string email;
  std::string reason;                               // hard_bounce | complaint | soft_bounces
  std::string suppressed_at, lifted_at, lifted_by;  // lifted_*: "" while suppressed
  // The address's last outcome: kind, source, status and the server's words.
  std::string last_kind, last_source, last_status, last_diagnostic, last_at;
  std::vector<SuppressedContact> contacts;
};

inline constexpr std::size_t suppression_page_rows = 50;

struct SuppressionList {
  LoadStatus status = LoadStatus::idle;
  std::string error;
  std::string search;           // part of an address
  bool include_lifted = false;  // lifted ones too
  std::size_t offset = 0;       // of the page shown
  std::uint64_t total = 0;
  std::vector<SuppressedAddress> rows;
  std::optional<std::string> confirm_lift;  // the address whose lift waits for confirmation
  std::string lifting;                      // the address being lifted ("" none)
  std::string notice;                       // announced result of the last lift
};

// "Hard bounce", "Complaint", "Repeated soft bounces", ...
const char* suppression_reason_caption(const std::string& reason);
const char* outcome_kind_caption(const std::string& kind);

}  // namespace invites::app
