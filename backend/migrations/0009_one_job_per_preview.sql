-- One job per preview (issue 12 item 3): a second Send of the same preview
-- (a double click, a retry, a reopened dialog with a new idempotency key)
-- finds the job the first one made instead of mailing everyone again.
-- Portable SQL only (MySQL 8.0 and MariaDB 10.11); statements end with ';'
-- at a line end.
ALTER TABLE send_jobs
  ADD COLUMN preview_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL AFTER idempotency_key,
  ADD UNIQUE KEY uq_send_jobs_preview_id (preview_id);
