-- What sending needs beyond 0005 (docs/design.md §5, §6). Portable SQL only (MySQL 8.0
-- and MariaDB 10.11); statements end with ';' at a line end. DATETIME
-- columns hold UTC.

-- Sender addresses per division, edited in the tool's setup (permission 120).
-- The billing system owns divisions.default_from_email and the tool never
-- writes billing tables, so an address set here overrides that one.
CREATE TABLE division_senders (
  division_id INT UNSIGNED NOT NULL,
  from_email VARCHAR(254) NOT NULL,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  updated_by INT UNSIGNED NULL,
  PRIMARY KEY (division_id),
  CONSTRAINT fk_division_senders_division FOREIGN KEY (division_id) REFERENCES divisions (id),
  CONSTRAINT fk_division_senders_updated_by FOREIGN KEY (updated_by) REFERENCES staff_users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A job renders every message with the template as it was when Send was
-- pressed, so an edit during a long job cannot change half of its messages.
-- The counters (sent, failed, skipped, cancelled) are written when a job
-- finishes; while it runs, progress is counted from the outbox, so workers
-- never contend for the job row.
ALTER TABLE send_jobs
  ADD COLUMN template_json MEDIUMTEXT NULL AFTER template_id,
  ADD COLUMN invite_ttl_days INT UNSIGNED NOT NULL DEFAULT 14 AFTER digest,
  ADD COLUMN skipped INT UNSIGNED NOT NULL DEFAULT 0 AFTER failed,
  ADD COLUMN cancelled INT UNSIGNED NOT NULL DEFAULT 0 AFTER skipped;

-- claimed_by: the sender instance (see service/job_runner.hpp) that moved a
-- row to 'sending'. An instance holds the named lock 'invites-sender-<id>'
-- while it lives, so rows of a dead instance are recognised at once and
-- returned to 'pending'. 'skipped': the address became active or disabled
-- after Load. 'cancelled': the job was cancelled before the row was sent.
ALTER TABLE send_outbox
  MODIFY COLUMN status ENUM('pending','sending','sent','failed','skipped','cancelled') NOT NULL DEFAULT 'pending',
  ADD COLUMN claimed_by CHAR(32) CHARACTER SET ascii NULL AFTER status;

-- Accepting an invitation sets the portal password (argon2id, as staff
-- passwords) and activates the user.
ALTER TABLE portal_users
  ADD COLUMN password_hash VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NULL,
  ADD COLUMN activated_at DATETIME NULL;

ALTER TABLE portal_invites
  ADD CONSTRAINT fk_portal_invites_job FOREIGN KEY (job_id) REFERENCES send_jobs (id);

-- The job view's rate (messages in the last seconds) reads recent sends by time.
ALTER TABLE send_outbox
  ADD KEY ix_send_outbox_job_sent_at (job_id, sent_at);
