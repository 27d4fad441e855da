#include "seed/seeder.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>

#include "db/transaction.hpp"
#include "repository/seed_tables.hpp"
#include "seed/demo_data.hpp"

namespace invites::seed {

std::string SeedSummary::describe() const {
  std::ostringstream out;
  const auto& w = written;
  out << "divisions " << w.divisions << ", account classes " << w.account_classes << ", bill groups " << w.bill_groups
      << ", account sources " << w.account_sources << ", site sources " << w.site_sources << "\n"
      << "accounts " << w.accounts << ", sites " << w.sites << ", services " << w.services << " (" << active_services
      << " active)\n"
      << "contacts " << w.contacts << " (" << billing_contacts << " billing, " << contacts_without_email
      << " without an email address)\n"
      << "portal users " << (portal_users_invited + portal_users_active + portal_users_disabled) << " ("
      << portal_users_invited << " invited, " << portal_users_active << " active, " << portal_users_disabled
      << " disabled)\n";
  char seconds_text[32];
  std::snprintf(seconds_text, sizeof seconds_text, "%.1f", seconds);
  out << "in " << seconds_text << " s";
  return out.str();
}

SeedSummary seed_database(sql::Connection& connection, const SeedOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  repository::SeedTables tables(connection);
  const std::string occupied = tables.occupied();
  if (!occupied.empty() && !options.replace) {
    throw DatabaseNotEmpty("the database already holds data (" + occupied +
                           "): seeding would mix demo rows into it; pass --replace to empty these tables first");
  }
  // Bulk load: no per-row foreign key or unique checks, one transaction per chunk.
  tables.start(!occupied.empty());

  SeedSummary summary;
  DemoDataGenerator generator(options.seed);
  {
    using repository::LookupTable;
    const Lookups& lookups = generator.lookups();
    db::Transaction transaction(connection);
    for (const auto& row : lookups.divisions) tables.add(LookupTable::divisions, row);
    for (const auto& row : lookups.account_classes) tables.add(LookupTable::account_classes, row);
    for (const auto& row : lookups.bill_groups) tables.add(LookupTable::bill_groups, row);
    for (const auto& row : lookups.account_sources) tables.add(LookupTable::account_sources, row);
    for (const auto& row : lookups.site_sources) tables.add(LookupTable::site_sources, row);
    tables.flush();
    transaction.commit();
  }

  Chunk chunk;
  const std::size_t chunk_size = options.chunk_accounts ? options.chunk_accounts : 5'000;
  for (std::size_t done = 0; done < options.accounts;) {
    const std::size_t count = std::min(chunk_size, options.accounts - done);
    generator.next_chunk(count, chunk);
    db::Transaction transaction(connection);
    for (const auto& account : chunk.accounts) tables.add(account);
    for (const auto& site : chunk.sites) tables.add(site);
    for (const auto& service : chunk.services) {
      tables.add(service);
      summary.active_services += service.active;
    }
    for (const auto& contact : chunk.contacts) {
      tables.add(contact);
      summary.billing_contacts += contact.is_billing;
      summary.contacts_without_email += !contact.email;
    }
    for (const auto& user : chunk.portal_users) {
      tables.add(user);
      if (user.status == PortalStatus::invited)
        ++summary.portal_users_invited;
      else if (user.status == PortalStatus::active)
        ++summary.portal_users_active;
      else
        ++summary.portal_users_disabled;
    }
    tables.flush();
    transaction.commit();
    done += count;
    if (options.progress) options.progress(done);
  }
  summary.written = tables.counts();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace invites::seed
