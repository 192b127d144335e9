-- Where each live fetch stream (statuses, notifications, followers, following of one account on
-- one server) stopped: the next fetch asks only for what came after. Saved in the transaction that
-- writes the page it points past, so an interrupted fetch resumes with nothing lost or repeated.
-- No credentials are ever stored here or anywhere in the workspace.
CREATE TABLE fetch_cursors (
    source     VARCHAR NOT NULL,
    account    VARCHAR NOT NULL,
    stream     VARCHAR NOT NULL,
    cursor     VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (source, account, stream)
);
