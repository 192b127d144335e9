-- Post-level Insights of a page (facebook-insights): one row per post with its lifetime figures.
-- Exports of this kind carry neither the post's text nor its date, so these are not messages:
-- they are summarised per post type and paid or organic, over the whole export.
CREATE TABLE post_insights (
    team          VARCHAR NOT NULL,
    post_key      VARCHAR NOT NULL,
    platform      VARCHAR NOT NULL,
    post_type     VARCHAR NOT NULL,
    category      VARCHAR,
    paid          BOOLEAN,
    month         INTEGER,
    weekday       INTEGER,
    hour          INTEGER,
    reach         BIGINT,
    impressions   BIGINT,
    engaged_users BIGINT,
    consumers     BIGINT,
    comments      BIGINT,
    likes         BIGINT,
    shares        BIGINT,
    import_id     INTEGER NOT NULL
);

ALTER TABLE imports ADD COLUMN insights_added BIGINT NOT NULL DEFAULT 0;
