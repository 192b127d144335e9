-- The fingerprint of the store (`Store.data_state`) and the threshold with which the suggested
-- merges of people (people.py, `merge_suggested`) were last made. While both are current, no
-- new suggestion can reach the threshold, and the suggestions need not be computed again.
CREATE TABLE merge_check_version (
    version VARCHAR NOT NULL
);
