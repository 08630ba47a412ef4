-- Second factor: one TOTP credential per user. The secret is AES-256-GCM encrypted (nonce || ciphertext,
-- base64) under sigil.mfa.encryption-key. A row with confirmed_at null is an enrolment in progress.
-- Recovery codes are stored as SHA-256 digests (base64url); using one removes it from the array.
create table mfa_totp (
    user_id          uuid        primary key references users(id) on delete cascade,
    secret_encrypted varchar(256) not null,
    recovery_digests text[]      not null default '{}',
    confirmed_at     timestamptz,
    created_at       timestamptz not null
);
