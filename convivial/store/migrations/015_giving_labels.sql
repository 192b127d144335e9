-- What a host message's text says about whether it gives (convivial/text/giving.py): a reply
-- that only holds or asks for details, a post of small talk or personal status, a text written
-- to an @handle. The labels' version changes with them, so every message is labelled again on
-- the next import or report.
ALTER TABLE message_labels ADD COLUMN holding BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE message_labels ADD COLUMN chatter BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE message_labels ADD COLUMN addressed BOOLEAN NOT NULL DEFAULT false;
