-- Several servers on one replicated database (issue 11, docs/design.md §10). Portable
-- SQL only (MySQL 8.0 and MariaDB 10.11, also as Galera nodes); statements
-- end with ';' at a line end. DATETIME columns hold UTC.

-- Sender liveness without server-local locks (GET_LOCK is local to one
-- Galera node). A sender instance holds one lease at a time and renews it
-- by a heartbeat; an instance that cannot renew before expires_at (dead,
-- paused, cut off) has lost it, and any instance returns the rows claimed
-- under it to pending. token is the fencing token: a lease taken again is a
-- new row with a new token, and every claim, sent record and release is
-- conditional on the token its rows were claimed under, so an instance that
-- lost its lease cannot record over rows that were handed to another.
-- (AUTO_INCREMENT values are unique across Galera nodes, which step them.)
CREATE TABLE sender_leases (
  token BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  instance_id CHAR(32) CHARACTER SET ascii NOT NULL,
  host VARCHAR(255) NOT NULL,
  acquired_at DATETIME(3) NOT NULL,
  heartbeat_at DATETIME(3) NOT NULL,
  expires_at DATETIME(3) NOT NULL,
  -- Claims made under the lease: each claim changes the row (a write
  -- Galera certifies against a recovery of the lease on another node).
  claims BIGINT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (token),
  KEY ix_sender_leases_expires_at (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The lease a 'sending' row was claimed under (claimed_by keeps the
-- instance, for people reading the table).
ALTER TABLE send_outbox
  ADD COLUMN lease_token BIGINT UNSIGNED NULL AFTER claimed_by;

-- Load results, so that any server answers the recipient review and Send
-- of a Load made on another (the evaluation itself stays in the memory of
-- the server that made it; another one evaluates the filter again over its
-- own index and compares digests). generated_at is the time of the snapshot
-- the Load was evaluated on; counts_json the four (or more) group counts.
CREATE TABLE previews (
  id CHAR(32) CHARACTER SET ascii NOT NULL,
  owner_user_id INT UNSIGNED NOT NULL,
  filter_json TEXT NOT NULL,
  counts_json TEXT NOT NULL,
  digest CHAR(39) CHARACTER SET ascii NOT NULL,
  generated_at DATETIME NOT NULL,
  created_at DATETIME(3) NOT NULL,
  expires_at DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  KEY ix_previews_expires_at (expires_at),
  CONSTRAINT fk_previews_owner FOREIGN KEY (owner_user_id) REFERENCES staff_users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
