#pragma once
#include <stdexcept>
#include <string>

namespace invites {

// Bad input that a user or client can correct; `field` names the offending
// part (a JSON path such as "filter.division_ids[2]"), empty when it is the
// document as a whole.
class ValidationError : public std::runtime_error {
 public:
  ValidationError(std::string field, const std::string& message)
      : std::runtime_error(field.empty() ? message : field + ": " + message), field_(std::move(field)) {}
  const std::string& field() const noexcept { return field_; }

 private:
  std::string field_;
};

// A snapshot buffer that cannot be decoded (truncated, corrupt, wrong version).
class SnapshotFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace invites
