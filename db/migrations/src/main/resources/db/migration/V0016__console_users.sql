-- The HTML console (/console/, docs/console.md): its users, their sessions, and the audit of what they did.
--
-- A console user acts through its own API token (api_tokens row named 'console:<username>', scopes = the user's
-- role, secret drawn at random and never shown, so nobody can use it as a bearer token): whatever a user does
-- through the console is recorded exactly as the API records it (invalidations.created_by, site history's
-- actor_token_id), and the reporting views show the user's name without knowing the console exists.
CREATE TABLE console_users (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username       text        NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    -- PHC string of an Argon2id hash: $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>
    password_hash  text        NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    role           text        NOT NULL CHECK (role IN ('read', 'purge', 'admin')),
    token_id       bigint      NOT NULL UNIQUE REFERENCES api_tokens (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    created_by     text        NOT NULL CHECK (length(created_by) BETWEEN 1 AND 200),
    disabled_at    timestamptz,
    failed_logins  integer     NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until   timestamptz,
    last_login_at  timestamptz
);

COMMENT ON TABLE console_users IS 'People who log in to the console; each acts through its own API token (token_id)';
COMMENT ON COLUMN console_users.username IS 'Login name: 1-63 lower-case letters, digits, ''.'', ''_'' or ''-''';
COMMENT ON COLUMN console_users.password_hash IS 'Argon2id PHC string (parameters inside, so old hashes verify after a change)';
COMMENT ON COLUMN console_users.role IS 'read, purge or admin: the scope of the user''s token (admin implies purge implies read)';
COMMENT ON COLUMN console_users.token_id IS 'The API token the user acts through; its name is console:<username>';
COMMENT ON COLUMN console_users.created_by IS 'Who created the user: a console user, a token, bootstrap or the command line';
COMMENT ON COLUMN console_users.disabled_at IS 'Set when disabled: the user cannot log in and its sessions end (its token is revoked)';
COMMENT ON COLUMN console_users.failed_logins IS 'Failed logins since the last success; from 5 on, each locks the user for longer';
COMMENT ON COLUMN console_users.locked_until IS 'No login is tried before this time (throttling after failed logins)';

-- A session is a random 32-byte secret in an HttpOnly, SameSite=Strict cookie; only its SHA-256 is stored, so a
-- leaked table opens no session. Any admin replica accepts it (stateless replicas); another installation's
-- cookie, an expired or a logged-out one matches no row: the user goes to the login page.
CREATE TABLE console_sessions (
    id_hash       bytea       PRIMARY KEY CHECK (length(id_hash) = 32),
    user_id       bigint      NOT NULL REFERENCES console_users (id) ON DELETE CASCADE,
    csrf_token    text        NOT NULL CHECK (length(csrf_token) BETWEEN 32 AND 64),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    client        text        NOT NULL CHECK (length(client) <= 100)
);

CREATE INDEX console_sessions_user ON console_sessions (user_id);
CREATE INDEX console_sessions_expiry ON console_sessions (expires_at);

COMMENT ON TABLE console_sessions IS 'Console sessions: SHA-256 of the cookie secret, CSRF token of its forms, expiry';
COMMENT ON COLUMN console_sessions.csrf_token IS 'Every form of the session carries it; a POST without it is refused';
COMMENT ON COLUMN console_sessions.expires_at IS 'Idle expiry, pushed forward on use but never past created_at + the absolute limit';
COMMENT ON COLUMN console_sessions.client IS 'Client address that logged in (for the audit and the users page)';

-- Who did what in the console: logins (and failed ones), logouts, every action with its target. What an
-- action did to the cache is in the invalidation log as well (under the user's token).
CREATE TABLE console_audit (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    username  text        NOT NULL CHECK (length(username) BETWEEN 1 AND 100),
    action    text        NOT NULL CHECK (action ~ '^[a-z_]{1,40}$'),
    detail    text        NOT NULL CHECK (length(detail) <= 2000),
    client    text        NOT NULL CHECK (length(client) <= 100)
);

CREATE INDEX console_audit_at ON console_audit (at);

COMMENT ON TABLE console_audit IS 'Console audit: who (username, or the name tried for a failed login), what, when, from where';
COMMENT ON COLUMN console_audit.action IS 'login, login_failed, logout, purge, purge_tags, ban, ban_lift, purge_all, token_create, token_revoke, user_add, user_role, user_disable, node_drain, node_undrain';
COMMENT ON COLUMN console_audit.detail IS 'What the action named (URLs, tags, ban, ids), cut to 2000 characters';
