-- The customer portal's users and the invitations sent to them (docs/design.md §3, §6).
-- Portable SQL only (MySQL 8.0 and MariaDB 10.11); statements end with ';'
-- at a line end (see backend/db/sql_script.hpp).
-- DATETIME columns hold UTC: every connection sets time_zone = '+00:00'.

-- email is the normalized address (docs/design.md §2.2), compared bytewise (utf8mb4_bin)
-- so that uniqueness and lookups agree exactly with the C++ rules.
CREATE TABLE portal_users (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  email VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  status ENUM('invited','active','disabled') NOT NULL DEFAULT 'invited',
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  last_invited_at DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_portal_users_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per invitation sent. Only a 32-byte hash of the token is stored,
-- never the token. An invitation is open while accepted_at and revoked_at
-- are NULL and expires_at is in the future; re-inviting revokes the open one.
-- job_id is the send job that sent it; its foreign key comes with the jobs table.
CREATE TABLE portal_invites (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  portal_user_id INT UNSIGNED NOT NULL,
  token_hash BINARY(32) NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  expires_at DATETIME NOT NULL,
  accepted_at DATETIME NULL,
  revoked_at DATETIME NULL,
  job_id BIGINT UNSIGNED NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_portal_invites_token_hash (token_hash),
  KEY ix_portal_invites_user_created (portal_user_id, created_at),
  KEY ix_portal_invites_job (job_id),
  CONSTRAINT fk_portal_invites_portal_user FOREIGN KEY (portal_user_id) REFERENCES portal_users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
