-- Where in its message a mention stands (1 = the first @reference), so that "the first host
-- account it mentions" counts only the mentions that are interactions. Null for other kinds.
ALTER TABLE interactions ADD COLUMN position INTEGER;
