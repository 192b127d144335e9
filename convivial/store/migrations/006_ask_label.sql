-- Whether a message's text asks for something for the business (promotion, a call to act), by
-- convivial/text/asks.py. The labels' version changes with it, so every message is labelled
-- again on the next import or report.
ALTER TABLE message_labels ADD COLUMN ask BOOLEAN NOT NULL DEFAULT false;
