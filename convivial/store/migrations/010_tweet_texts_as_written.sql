-- Tweets imported before the twcs and x-archive sources undid Twitter's escaping of &, < and >
-- get the text as written; their labels are dropped, so the next report labels them again.
CREATE TEMP TABLE escaped AS
SELECT m.message_key FROM messages m JOIN imports i USING (import_id)
WHERE i.source IN ('twcs', 'x-archive')
  AND (m.text LIKE '%&amp;%' OR m.text LIKE '%&lt;%' OR m.text LIKE '%&gt;%');

UPDATE messages SET text = replace(replace(replace(text, '&lt;', '<'), '&gt;', '>'), '&amp;', '&')
WHERE message_key IN (SELECT message_key FROM escaped);

DELETE FROM message_labels WHERE message_key IN (SELECT message_key FROM escaped);

DROP TABLE escaped;
