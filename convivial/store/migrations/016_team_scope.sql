-- Every team's messages and interactions as the metrics read them (metrics/scope.py,
-- `team_tables`: each row tagged with its team and its accounts' host flags, each message with
-- its text's labels), kept so that a report need not join teams, flags and labels onto every
-- message again. Derived: `team_messages` and `team_interactions` are written whole, with the
-- scope's columns, whenever `team_scope_version` (a fingerprint of what they were computed from:
-- the teams' host accounts and their roles, the messages, the imports, the labels) is not
-- current; until then reports compute the scope themselves. `forget` drops them.
CREATE TABLE team_scope_version (
    version VARCHAR NOT NULL
);
