-- Staff users, their permissions and login sessions, and the audit log
-- (docs/design.md §3, §5). Portable SQL only (MySQL 8.0 and MariaDB 10.11); statements
-- end with ';' at a line end (see backend/db/sql_script.hpp).
-- DATETIME columns hold UTC: every connection sets time_zone = '+00:00'.

-- username compares case-insensitively (the table collation), so "Alice" and
-- "alice" are one user. password_hash is libsodium's crypto_pwhash_str
-- output (argon2id, self-describing). Users are disabled, never deleted.
CREATE TABLE staff_users (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  username VARCHAR(64) NOT NULL,
  password_hash VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  disabled TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY uq_staff_users_username (username)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The billing system's permission numbers: 390 "Send Account Portal
-- Invitations", 120 "Setup \ System and Security".
CREATE TABLE staff_permissions (
  user_id INT UNSIGNED NOT NULL,
  permission INT NOT NULL,
  PRIMARY KEY (user_id, permission),
  CONSTRAINT fk_staff_permissions_user FOREIGN KEY (user_id) REFERENCES staff_users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per login. token_hash is the BLAKE2b-256 hash of the 32-byte
-- session token (the cookie holds the token, the database never does).
-- A session ends at expires_at (absolute) or when last_seen_at is older than
-- the server's idle timeout, whichever comes first.
CREATE TABLE staff_sessions (
  token_hash BINARY(32) NOT NULL,
  user_id INT UNSIGNED NOT NULL,
  csrf_token CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  last_seen_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  expires_at DATETIME NOT NULL,
  PRIMARY KEY (token_hash),
  KEY ix_staff_sessions_user (user_id),
  KEY ix_staff_sessions_expires (expires_at),
  CONSTRAINT fk_staff_sessions_user FOREIGN KEY (user_id) REFERENCES staff_users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Append-only. staff_user_id is NULL for the command line and for anonymous
-- requests (failed logins); no foreign key, so the log outlives any user row.
-- detail is a JSON document (never passwords, tokens or cookies).
CREATE TABLE audit_log (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  at DATETIME(3) NOT NULL,
  staff_user_id INT UNSIGNED NULL,
  action VARCHAR(64) NOT NULL,
  detail JSON NULL,
  PRIMARY KEY (id),
  KEY ix_audit_log_at (at),
  KEY ix_audit_log_staff_user_at (staff_user_id, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
