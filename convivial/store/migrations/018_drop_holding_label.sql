-- A reply to a member that does not deflect gives even when it only holds the conversation or
-- asks for details (METRICS.md's letter), so the `holding` label is no longer computed. The
-- labels' version changes with it, so every message is labelled again by the next command that
-- reads them.
ALTER TABLE message_labels DROP COLUMN holding;
