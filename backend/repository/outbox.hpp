#pragma once
// The sending side of the outbox (docs/design.md §6), used by service/job_runner.
// Rows move pending → sending (claimed by one sender instance under its
// lease, repository/sender_leases.hpp) → sent, failed, skipped, or back to
// pending for a retry. Every outcome is committed before the worker's next
// message, so progress is durable per recipient, and is conditional on the
// lease token the row was claimed under: an instance whose lease ended
// cannot write over rows handed to another. Writes that a Galera
// certification conflict or a deadlock can abort are retried (db/retry.hpp).
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "db/statement.hpp"
#include "invites/recipients.hpp"
#include "invites/send_status.hpp"
#include "repository/templates.hpp"
#include "security/tokens.hpp"

namespace invites::repository {

// Jobs whose rows may be claimed now (queued or running), oldest first.
std::vector<std::uint64_t> active_job_ids(sql::Connection& connection);

struct ClaimedRecipient {
  std::uint64_t outbox_id = 0;
  std::uint64_t job_id = 0;
  std::string email;
  std::uint32_t attempts = 0;  // before this one
  std::string first_name, last_name, account_number, account_name, division_name;
  std::optional<PortalStatus> portal_status;    // now, if the address has a portal user
  bool suppressed = false;                      // now: bounced or complained since Load (docs/design.md §11)
  std::uint64_t invite_id = 0;                  // set by create_invites
  std::optional<std::uint64_t> invited_by_job;  // set by create_invites: not to be mailed
  std::uint64_t lease_token = 0;                // the sender lease it was claimed under
};

struct JobSettings {
  std::uint64_t id = 0;
  JobStatus status = JobStatus::queued;
  std::string from_email;
  StoredTemplate message_template;
  int invite_ttl_days = 0;  // as stored with the job
};
std::optional<JobSettings> job_settings(sql::Connection& connection, std::uint64_t job_id);
// The job's status now.
std::optional<JobStatus> job_status(sql::Connection& connection, std::uint64_t job_id);

// Claims up to `limit` due pending rows of the job for `instance_id` under
// its lease `lease_token`, with SELECT ... FOR UPDATE SKIP LOCKED (several
// servers on one database; on a Galera cluster two nodes may select the
// same rows, and the later commit is aborted and retried), and marks the
// job running. Returns them with their merge data. Throws LeaseLost when
// the lease is over.
std::vector<ClaimedRecipient> claim_batch(sql::Connection& connection, std::uint64_t job_id,
                                          const std::string& instance_id, std::uint64_t lease_token, std::size_t limit);

// Filled by the sender from the job (the lifetime stored with it) and from
// its options (service::JobRunnerOptions::reinvite_after), where the defaults
// are; none here, so no second default can drift from them.
struct InviteSettings {
  std::uint64_t job_id = 0;
  int ttl_days = 0;
  // An address with another job's invitation in flight or sent within this
  // time is not mailed again (two staff sending the same filter at once).
  std::chrono::minutes reinvite_after{0};
};

// Before a batch is sent, in one transaction: each recipient's portal user
// exists (created 'invited' if new, last_invited_at now). A recipient with
// another job's invitation within settings.reinvite_after gets
// invited_by_job set and nothing else. For the others, open invitations are
// revoked and a new one (the token's hash, expiry, job) is stored; sets
// recipient.invite_id. token_hashes[i] belongs to recipients[i]. The
// portal user rows stay locked until commit, so two jobs never both invite
// one address. The tokens themselves exist only in the sender's memory until
// mailed, so an invitation whose message never goes out opens nothing.
void create_invites(sql::Connection& connection, std::vector<ClaimedRecipient>& recipients,
                    const std::vector<security::TokenHash>& token_hashes, const InviteSettings& settings);

// A message the SMTP server accepted, to be recorded as sent.
struct SentMessage {
  std::uint64_t outbox_id = 0;
  std::uint64_t invite_id = 0;    // the invitation it carried
  std::uint64_t lease_token = 0;  // its row was claimed under
};

// Records accepted messages, any number in one autocommitted UPDATE per
// lease (normally one): one commit makes all of them durable (see
// service/sent_group_commit.hpp). Keeps its prepared statements, one per
// message count, for the connection's life.
class SentRecorder {
 public:
  explicit SentRecorder(sql::Connection& connection);
  ~SentRecorder();
  // The number of rows recorded: fewer than messages.size() when a row was
  // no longer under its lease (its lease ended and the row was taken over).
  std::size_t record(const std::vector<SentMessage>& messages);

 private:
  db::Statement& statement_for(std::size_t count);

  sql::Connection& connection_;
  std::map<std::size_t, db::Statement> by_count_;
};

// The outcomes below also revoke the recipient's unmailed invitation.
// Temporary failure: back to pending after `retry_after`, or failed once
// `attempts` reaches max_attempts.
void record_retry(sql::Connection& connection, const ClaimedRecipient& recipient, const std::string& detail,
                  std::chrono::seconds retry_after, std::uint32_t max_attempts);
void record_failed(sql::Connection& connection, const ClaimedRecipient& recipient, const std::string& detail);
void record_skipped(sql::Connection& connection, const ClaimedRecipient& recipient, const std::string& reason);
// Unsent rows of a batch go back to pending (pause, shutdown); their
// unmailed invitations are revoked.
void release(sql::Connection& connection, const std::vector<ClaimedRecipient>& recipients);

// Rows left 'sending' under leases that are over (their instances died,
// hung or lost the database for longer than the lease) become pending
// again, and those leases end. Returns how many rows.
std::uint64_t recover_orphans(sql::Connection& connection, std::uint64_t own_lease_token);

// running → completed once no row is pending or being sent; freezes the counts.
bool complete_job_if_done(sql::Connection& connection, std::uint64_t job_id);

}  // namespace invites::repository
