-- Reports as computed (TeamReport JSON), kept so that the dashboard and a second report need not
-- compute them again. Derived: `state` fingerprints the data and settings they were computed from;
-- rows of any other state are dropped when a report is saved, and `forget` drops them all.
CREATE TABLE report_cache (
    key         VARCHAR PRIMARY KEY,
    state       VARCHAR NOT NULL,
    body        VARCHAR NOT NULL,
    computed_at TIMESTAMP NOT NULL
);

-- Unanswered requests someone marked handled in the inbox (answered in private, or nothing to
-- answer): they leave the inbox, not the metrics.
CREATE TABLE handled_requests (
    message_key VARCHAR PRIMARY KEY,
    handled_at  TIMESTAMP NOT NULL
);
