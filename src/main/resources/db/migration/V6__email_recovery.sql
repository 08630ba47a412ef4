-- Account recovery by email (docs/account-recovery.md).

-- The transactional outbox: a mail is a row written in the same transaction as the state change it reports
-- (a token issued, an address changed), and a relay on every replica sends it later. A row is claimed by
-- moving next_attempt_at past a lease under FOR UPDATE SKIP LOCKED, so two replicas never claim the same row.
-- params holds what the template needs, the link and its token included: it is removed once the row is sent
-- (the row is deleted) or parked as failed (params set to null).
create table mail_outbox (
    id              bigserial    primary key,
    message_id      varchar(255) not null unique,
    recipient       varchar(254) not null,
    template        varchar(32)  not null,
    params          jsonb,
    state           varchar(8)   not null default 'pending',
    attempts        integer      not null default 0,
    next_attempt_at timestamptz  not null,
    created_at      timestamptz  not null,
    last_error      varchar(500),
    constraint mail_outbox_state check (state in ('pending', 'failed'))
);

create index mail_outbox_due on mail_outbox (next_attempt_at) where state = 'pending';

-- Reset and verification tokens: only the SHA-256 of the 256-bit token is kept. One live token per user and
-- purpose (a newer request replaces the older one); a token is also dead once the user's password changed
-- since it was issued (password_changed_at) or expired. Deleted when used, and by the relay once expired.
create table email_tokens (
    token_hash          varchar(64)  primary key,
    user_id             uuid         not null references users (id) on delete cascade,
    purpose             varchar(8)   not null,
    email               varchar(254),
    password_changed_at timestamptz  not null,
    user_version        bigint       not null,
    expires_at          timestamptz  not null,
    constraint email_tokens_purpose check (purpose in ('reset', 'verify')),
    constraint email_tokens_one_per_purpose unique (user_id, purpose)
);

create index email_tokens_expiry on email_tokens (expires_at);

-- POST /password-reset looks users up by address.
create index users_email_lower on users (lower(email));
