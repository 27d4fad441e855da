#pragma once
// Writes the demo data set (seed/demo_data.hpp) into a migrated database.
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

#include <cppconn/connection.h>

#include "repository/seed_tables.hpp"

namespace invites::seed {

// The billing tables or portal_users already hold rows and --replace was not given.
class DatabaseNotEmpty : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SeedOptions {
  std::size_t accounts = 10'000;
  std::uint64_t seed = 1;
  bool replace = false;                                        // empty the billing tables and the portal tables first
  std::size_t chunk_accounts = 5'000;                          // accounts per transaction
  std::function<void(std::size_t accounts_written)> progress;  // after each chunk
};

struct SeedSummary {
  repository::SeedCounts written;  // rows per table
  std::uint64_t active_services = 0, billing_contacts = 0, contacts_without_email = 0;
  std::uint64_t portal_users_invited = 0, portal_users_active = 0, portal_users_disabled = 0;
  double seconds = 0;
  std::string describe() const;  // human-readable, several lines
};

// Throws DatabaseNotEmpty (nothing written), or sql::SQLException.
SeedSummary seed_database(sql::Connection& connection, const SeedOptions& options);

}  // namespace invites::seed
