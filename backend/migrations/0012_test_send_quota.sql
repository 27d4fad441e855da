-- Test sends per staff user (issue 12 item 16): at most --test-send-limit in
-- a window of --test-send-window-minutes that starts at the first test send
-- after the previous window ended. In the database, not in one server's
-- memory, so every server of a cluster counts against the same budget.
-- Portable SQL only (MySQL 8.0 and MariaDB 10.11); statements end with ';'
-- at a line end. DATETIME columns hold UTC.
CREATE TABLE test_send_quota (
  user_id INT UNSIGNED NOT NULL,
  window_started_at DATETIME(3) NOT NULL,
  sends INT UNSIGNED NOT NULL,
  PRIMARY KEY (user_id),
  CONSTRAINT fk_test_send_quota_user FOREIGN KEY (user_id) REFERENCES staff_users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
