-- GitHub accounts connected per user, and the single-use `state` values of
-- GitHub's OAuth web flow.

-- The token is never stored in plain: `token_ciphertext` is AES-256-GCM
-- (nonce || ciphertext || tag) under the key named by `token_key_id`, so the
-- secret key can be rotated (see docsgen/github/crypto.py).
CREATE TABLE github_connections (
    user_id           uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    github_login      text NOT NULL,
    github_user_id    bigint,
    -- The token's OAuth scopes as GitHub reported them; NULL when GitHub reports
    -- none (fine-grained tokens).
    scopes            text[],
    method            text NOT NULL CHECK (method IN ('token', 'oauth')),
    token_key_id      text NOT NULL,
    token_ciphertext  bytea NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);

-- Only the SHA-256 of a state is kept; it is bound to the user who started the
-- flow, expires, and is deleted when used.
CREATE TABLE github_oauth_states (
    state_hash  bytea PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX github_oauth_states_expires_idx ON github_oauth_states (expires_at);
