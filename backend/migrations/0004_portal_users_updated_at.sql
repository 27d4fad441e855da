-- Load applies the tool's own portal_users writes to its in-memory index
-- before every evaluation by reading the rows changed since its last check
-- (WHERE updated_at >= ?). updated_at already follows every change
-- (ON UPDATE CURRENT_TIMESTAMP, 0002); this index keeps that read from
-- scanning the whole table at 1M accounts.
CREATE INDEX ix_portal_users_updated_at ON portal_users (updated_at);
