-- Passkeys (WebAuthn credentials). The credential id is the authenticator's (at most 1023 bytes, kept as
-- bytea: the primary key, since a sign-in names only the credential); the public key is its COSE_Key, as the
-- authenticator gave it. sign_count is the last counter seen (a lower one is refused as a possible clone).
-- backup_eligible/backup_state are the BE/BS flags of the last ceremony; uv_initialized whether user
-- verification was ever performed with it. transports as the browser reported them (hints for later
-- allowCredentials).
create table passkeys (
    credential_id   bytea        primary key check (octet_length(credential_id) between 16 and 1023),
    user_id         uuid         not null references users(id) on delete cascade,
    id              uuid         not null unique,
    public_key      bytea        not null,
    aaguid          uuid         not null,
    sign_count      bigint       not null check (sign_count >= 0),
    transports      text[]       not null default '{}',
    backup_eligible boolean      not null,
    backup_state    boolean      not null,
    uv_initialized  boolean      not null,
    name            varchar(64)  not null,
    created_at      timestamptz  not null,
    last_used_at    timestamptz
);
create index passkeys_user on passkeys (user_id);
