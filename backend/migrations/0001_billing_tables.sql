-- The billing system's tables (docs/design.md §3). In production they belong to the
-- billing system and invites-server only reads them; this migration creates
-- them for development, tests and the demo seeder. Table and column names
-- are a contract with outside tools: do not rename them.
--
-- Portable SQL only: every statement runs on MySQL 8.0 and MariaDB 10.11.
-- Statements end with ';' at the end of a line (see backend/db/sql_script.hpp):
-- never put ';' at a line end inside a string literal.

CREATE TABLE divisions (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(100) NOT NULL,
  -- The sender address the send screen proposes for this division.
  default_from_email VARCHAR(254) NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE account_classes (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(100) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE bill_groups (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(100) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE account_sources (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(100) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE site_sources (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(100) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One indexed column per filter of the send screen, each led by the filter
-- column, so a selective filter finds its accounts without a full scan.
CREATE TABLE accounts (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  account_number VARCHAR(32) NOT NULL,
  name VARCHAR(100) NOT NULL,
  division_id INT UNSIGNED NOT NULL,
  account_class_id INT UNSIGNED NULL,
  bill_group_id INT UNSIGNED NULL,
  account_source_id INT UNSIGNED NULL,
  -- Positive means the customer owes money ("balance due").
  balance DECIMAL(12,2) NOT NULL DEFAULT 0.00,
  autopay TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY uq_accounts_account_number (account_number),
  KEY ix_accounts_division (division_id),
  KEY ix_accounts_account_class (account_class_id),
  KEY ix_accounts_bill_group (bill_group_id),
  KEY ix_accounts_account_source (account_source_id),
  CONSTRAINT fk_accounts_division FOREIGN KEY (division_id) REFERENCES divisions (id),
  CONSTRAINT fk_accounts_account_class FOREIGN KEY (account_class_id) REFERENCES account_classes (id),
  CONSTRAINT fk_accounts_bill_group FOREIGN KEY (bill_group_id) REFERENCES bill_groups (id),
  CONSTRAINT fk_accounts_account_source FOREIGN KEY (account_source_id) REFERENCES account_sources (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Both directions of account <-> site source: "sites of this account" and
-- "accounts with a site of these sources" (the Site Source filter).
CREATE TABLE sites (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  account_id INT UNSIGNED NOT NULL,
  site_source_id INT UNSIGNED NULL,
  address VARCHAR(255) NOT NULL,
  PRIMARY KEY (id),
  KEY ix_sites_account_site_source (account_id, site_source_id),
  KEY ix_sites_site_source_account (site_source_id, account_id),
  CONSTRAINT fk_sites_account FOREIGN KEY (account_id) REFERENCES accounts (id),
  CONSTRAINT fk_sites_site_source FOREIGN KEY (site_source_id) REFERENCES site_sources (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- (site_id, active) answers "has this site an active service" from the index.
CREATE TABLE services (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  site_id INT UNSIGNED NOT NULL,
  active TINYINT(1) NOT NULL DEFAULT 1,
  PRIMARY KEY (id),
  KEY ix_services_site_active (site_id, active),
  CONSTRAINT fk_services_site FOREIGN KEY (site_id) REFERENCES sites (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- email is kept raw, as typed into the billing system (NULL, padded, mixed
-- case, malformed): normalization and validation happen when reading (docs/design.md §2).
-- 320 = the longest address anyone might type; valid ones are at most 254.
CREATE TABLE contacts (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  account_id INT UNSIGNED NOT NULL,
  first_name VARCHAR(100) NOT NULL DEFAULT '',
  last_name VARCHAR(100) NOT NULL DEFAULT '',
  email VARCHAR(320) NULL,
  is_billing TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  KEY ix_contacts_account_billing (account_id, is_billing),
  CONSTRAINT fk_contacts_account FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
