-- Staff sign-in attempts, shared by every server so that the login throttle
-- (backend/http/login_throttle.hpp) holds the same limits whichever server
-- or Galera node a guesser reaches. An attempt is written before its
-- password is checked and deleted when it succeeds, so the rows are the
-- failed attempts plus those being checked right now; the throttle counts
-- them per (username, address), per username and per address within its
-- window. Times are milliseconds since 1970 (UTC) from the servers' clocks.
-- Portable SQL only (MySQL 8.0 and MariaDB 10.11); statements end with ';'
-- at a line end.
CREATE TABLE login_attempts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  -- security::username_key of the name typed (ASCII case folded, nothing else).
  username_key VARBINARY(64) NOT NULL,
  -- The client's address (behind a trusted proxy: from X-Forwarded-For).
  address VARBINARY(64) NOT NULL,
  attempted_at_ms BIGINT NOT NULL,
  -- Cleared for the earlier failures of a (username, address) that then
  -- signed in: they no longer count for that pair, still for the ceilings.
  counts_for_pair BOOLEAN NOT NULL DEFAULT TRUE,
  KEY ix_login_attempts_username (username_key, attempted_at_ms),
  KEY ix_login_attempts_address (address, attempted_at_ms),
  KEY ix_login_attempts_time (attempted_at_ms)
) ENGINE=InnoDB;

-- One row per username and per address that tried to sign in recently. A
-- check writes its username's and address's rows first, so that checks of
-- one username (or address) run one after another: on one node they wait
-- for the row lock, across Galera nodes the later commit fails certification
-- and is retried. Count and record are thereby one atomic step.
CREATE TABLE login_throttle_keys (
  scope_key VARBINARY(80) NOT NULL PRIMARY KEY,
  touched_at_ms BIGINT NOT NULL,
  KEY ix_login_throttle_keys_time (touched_at_ms)
) ENGINE=InnoDB;
