-- Delivery outcomes (docs/design.md §11): bounces and complaints that come back after
-- sending, and the addresses they suppress. Portable SQL only (MySQL 8.0 and
-- MariaDB 10.11); statements end with ';' at a line end. DATETIME columns
-- hold UTC.

-- The key that seals outbox ids into VERP envelope senders
-- (backend/mail/verp.hpp). One row, made by the first server that needs it
-- (INSERT IGNORE of 32 random bytes), so every server reads the same key.
CREATE TABLE verp_keys (
  id TINYINT UNSIGNED NOT NULL,
  secret BINARY(32) NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per bounce or complaint, whichever way it came (a synchronous 5xx,
-- the bounce mailbox, a provider webhook). dedupe_key makes a repeat of the
-- same outcome (the same report twice, a replayed webhook, a report of a
-- message that also failed at SMTP) a no-op: "outbox:<id>:<kind>" for
-- outcomes of a known message, "<source>:<event id>" for the rest.
-- email is the normalized address (docs/design.md §2.2).
CREATE TABLE delivery_outcomes (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  email VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  kind ENUM('hard_bounce','soft_bounce','complaint') NOT NULL,
  source ENUM('smtp','mailbox','ses','sendgrid','postmark') NOT NULL,
  outbox_id BIGINT UNSIGNED NULL,
  job_id BIGINT UNSIGNED NULL,
  status_code VARCHAR(16) CHARACTER SET ascii NOT NULL DEFAULT '',
  diagnostic VARCHAR(1000) NOT NULL DEFAULT '',
  dedupe_key VARCHAR(191) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  occurred_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY uq_delivery_outcomes_dedupe (dedupe_key),
  KEY ix_delivery_outcomes_email (email, occurred_at),
  KEY ix_delivery_outcomes_job (job_id, kind),
  CONSTRAINT fk_delivery_outcomes_outbox FOREIGN KEY (outbox_id) REFERENCES send_outbox (id),
  CONSTRAINT fk_delivery_outcomes_job FOREIGN KEY (job_id) REFERENCES send_jobs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Suppressed addresses: never invited while lifted_at is NULL (the fifth
-- group at Load, "skipped: bounced or complained"). A hard bounce or a
-- complaint suppresses at once, soft bounces after N within M days
-- (counting only those after the last lift). Lifting keeps the row (who and
-- when; the audit log has the rest); a later outcome suppresses it again.
-- updated_at lets the Load index apply changes without a rebuild.
CREATE TABLE address_suppressions (
  email VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  reason ENUM('hard_bounce','complaint','soft_bounces') NOT NULL,
  last_outcome_id BIGINT UNSIGNED NOT NULL,
  suppressed_at DATETIME(3) NOT NULL,
  lifted_at DATETIME(3) NULL,
  lifted_by INT UNSIGNED NULL,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (email),
  KEY ix_address_suppressions_updated_at (updated_at),
  CONSTRAINT fk_address_suppressions_outcome FOREIGN KEY (last_outcome_id) REFERENCES delivery_outcomes (id),
  CONSTRAINT fk_address_suppressions_lifted_by FOREIGN KEY (lifted_by) REFERENCES staff_users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Messages of the bounce mailbox, claimed by UID before anything is done
-- with them, so that of several servers polling one mailbox exactly one
-- processes each message. A claim not done within its lease may be taken
-- over (its server died); done messages are only flagged or deleted again.
CREATE TABLE inbound_mail_claims (
  mailbox VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  uid_validity BIGINT UNSIGNED NOT NULL,
  uid BIGINT UNSIGNED NOT NULL,
  claim_token CHAR(32) CHARACTER SET ascii NOT NULL,
  claimed_at DATETIME(3) NOT NULL,
  done_at DATETIME(3) NULL,
  result VARCHAR(255) NULL,
  PRIMARY KEY (mailbox, uid_validity, uid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Signed webhook requests already processed, by provider and message id:
-- a replay inside the freshness window is answered without effect.
CREATE TABLE webhook_receipts (
  provider ENUM('ses','sendgrid','postmark') NOT NULL,
  message_id VARCHAR(191) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  received_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (provider, message_id),
  KEY ix_webhook_receipts_received_at (received_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The failed/bounced list of a job shows each recipient's outcome.
ALTER TABLE send_outbox
  ADD KEY ix_send_outbox_email (email);
