-- Notification templates, send jobs and their per-recipient outbox
-- (docs/design.md §5, §6). Portable SQL only (MySQL 8.0 and MariaDB 10.11); statements
-- end with ';' at a line end (see backend/db/sql_script.hpp). DATETIME
-- columns hold UTC.

-- Mustache templates (rendered by common/). An HTML template carries a
-- plain-text alternative in text_body for multipart/alternative messages.
-- Templates are deactivated, never deleted: jobs keep pointing at them.
CREATE TABLE notification_templates (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  type VARCHAR(32) NOT NULL DEFAULT 'portal_invitation',
  name VARCHAR(100) NOT NULL,
  active TINYINT(1) NOT NULL DEFAULT 1,
  subject VARCHAR(255) NOT NULL,
  content_type ENUM('text/html','text/plain') NOT NULL DEFAULT 'text/html',
  body MEDIUMTEXT NOT NULL,
  text_body MEDIUMTEXT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  updated_by INT UNSIGNED NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_notification_templates_type_name (type, name),
  CONSTRAINT fk_notification_templates_updated_by FOREIGN KEY (updated_by) REFERENCES staff_users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per Send. filter and digest record what Load showed; the
-- idempotency key makes a double-submitted Send create one job, not two.
-- Progress counters are kept with the outbox in the same transaction.
CREATE TABLE send_jobs (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  created_by INT UNSIGNED NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  status ENUM('queued','running','paused','cancelled','completed') NOT NULL DEFAULT 'queued',
  pause_reason VARCHAR(255) NULL,
  from_email VARCHAR(254) NOT NULL,
  template_id INT UNSIGNED NOT NULL,
  filter_json TEXT NOT NULL,
  send_groups VARCHAR(64) NOT NULL,
  digest CHAR(39) CHARACTER SET ascii NOT NULL,
  idempotency_key VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  total INT UNSIGNED NOT NULL DEFAULT 0,
  sent INT UNSIGNED NOT NULL DEFAULT 0,
  failed INT UNSIGNED NOT NULL DEFAULT 0,
  consecutive_failures INT UNSIGNED NOT NULL DEFAULT 0,
  started_at DATETIME(3) NULL,
  finished_at DATETIME(3) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_send_jobs_idempotency_key (idempotency_key),
  KEY ix_send_jobs_status (status),
  CONSTRAINT fk_send_jobs_created_by FOREIGN KEY (created_by) REFERENCES staff_users (id),
  CONSTRAINT fk_send_jobs_template FOREIGN KEY (template_id) REFERENCES notification_templates (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per recipient of a job, written with the job in one transaction.
-- Workers claim rows with SELECT ... FOR UPDATE SKIP LOCKED on
-- (job_id, status, next_attempt_at); every outcome is committed per row, so
-- a restarted server resumes without mailing anyone twice.
CREATE TABLE send_outbox (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  job_id BIGINT UNSIGNED NOT NULL,
  email VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  contact_id INT UNSIGNED NOT NULL,
  recipient_group ENUM('new_users','pending_invites') NOT NULL,
  status ENUM('pending','sending','sent','failed') NOT NULL DEFAULT 'pending',
  attempts INT UNSIGNED NOT NULL DEFAULT 0,
  next_attempt_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  last_error TEXT NULL,
  invite_id BIGINT UNSIGNED NULL,
  sent_at DATETIME(3) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_send_outbox_job_email (job_id, email),
  KEY ix_send_outbox_claim (job_id, status, next_attempt_at),
  CONSTRAINT fk_send_outbox_job FOREIGN KEY (job_id) REFERENCES send_jobs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
