-- A source that knows which team a message belongs to (a subreddit made a team) says so here;
-- other messages find their team through the team's host accounts.
ALTER TABLE messages ADD COLUMN team VARCHAR;
