-- One row per tag of each tag purge, to answer "when was item-3 purged, and by which entry?" without
-- scanning payloads. Deleted with its invalidation by retention.
CREATE TABLE surrogate_key_audit (
    invalidation_id  bigint      NOT NULL REFERENCES invalidations (id) ON DELETE CASCADE,
    tag              text        NOT NULL CHECK (length(tag) BETWEEN 1 AND 256),
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (invalidation_id, tag)
);

CREATE INDEX surrogate_key_audit_tag ON surrogate_key_audit (tag, created_at);

COMMENT ON TABLE surrogate_key_audit IS 'Tag purges by tag: SELECT created_at, invalidation_id FROM surrogate_key_audit WHERE tag = ''item-3''';
