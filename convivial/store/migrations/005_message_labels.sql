-- What each message's text says, by the classifiers of convivial/text: it asks a question; it is
-- a request (a question, a problem or a negative message); it deflects to a private channel; it
-- is signed by a person. Derived data: `label_version` names the classifiers that wrote the rows,
-- and when they change the rows are rebuilt rather than migrated.
CREATE TABLE message_labels (
    message_key VARCHAR NOT NULL,
    question    BOOLEAN NOT NULL,
    request     BOOLEAN NOT NULL,
    deflection  BOOLEAN NOT NULL,
    signed      BOOLEAN NOT NULL
);

CREATE TABLE label_version (
    version VARCHAR NOT NULL
);
