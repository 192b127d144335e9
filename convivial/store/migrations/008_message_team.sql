-- Each message's team (metrics/assign.py), kept so that a report need not work it out again
-- for every message. Derived: `message_team_version` fingerprints what it was computed from
-- (the teams' host accounts, the messages); when they change it is computed again, and until
-- then reports compute the assignment themselves.
CREATE TABLE message_team (
    message_key VARCHAR NOT NULL,
    team        VARCHAR NOT NULL
);

CREATE TABLE message_team_version (
    version VARCHAR NOT NULL
);
