-- One person, many accounts. Each row ties two accounts (a < b) as the same person, by hand or
-- automatically above the threshold in convivial.toml; a person is a connected group of accounts.
-- Accounts, messages and interactions are never rewritten: a merge adds a row, an unmerge takes
-- it away again (or, for an automatic merge, marks it refused so it is not made again), so an
-- unmerge restores exactly the state before.
CREATE TABLE merges (
    a          VARCHAR NOT NULL,
    b          VARCHAR NOT NULL,
    confidence DOUBLE NOT NULL,
    reason     VARCHAR NOT NULL,
    merged_by  VARCHAR NOT NULL,   -- 'hand' or 'auto'
    refused    BOOLEAN NOT NULL DEFAULT false,
    merged_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (a, b)
);
