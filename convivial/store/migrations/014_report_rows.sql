-- The long lists of a kept report (every follower, every member, every strong tie), as Arrow IPC
-- streams beside its body, which names each by `position`. Derived like report_cache, and
-- dropped with it.
CREATE TABLE report_rows (
    key      VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    data     BLOB NOT NULL,
    PRIMARY KEY (key, position)
);
