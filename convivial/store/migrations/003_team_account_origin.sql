-- Where a team's account comes from: convivial.toml ('config') or a source that knows the
-- team's owner ('import'), so that editing the configuration never drops an imported owner.
ALTER TABLE team_accounts ADD COLUMN origin VARCHAR DEFAULT 'import';
