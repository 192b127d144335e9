-- `convivial forget`: that an erasure happened, not what was erased. Each row is a keyed hash of
-- an erased account (by key, and by handle), so that a later import of an old file can recognise
-- the account and leave it out; the key is this workspace's own random secret.
CREATE TABLE erasures (
    key_hash  VARCHAR PRIMARY KEY,
    erased_at TIMESTAMP NOT NULL
);

CREATE TABLE workspace_secret (
    secret VARCHAR NOT NULL
);

INSERT INTO workspace_secret SELECT md5(random()::VARCHAR || now()::VARCHAR) || md5(random()::VARCHAR);
