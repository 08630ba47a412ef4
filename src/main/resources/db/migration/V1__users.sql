-- Users. The username is unique regardless of case: the index on lower(username) decides it.
create table users (
    id                  uuid primary key,
    username            varchar(64)  not null,
    email               varchar(254),
    password_hash       varchar(255) not null,
    roles               text[]       not null default '{}',
    custom_claims       jsonb        not null default '{}'::jsonb,
    enabled             boolean      not null default true,
    created_at          timestamptz  not null,
    updated_at          timestamptz  not null,
    password_changed_at timestamptz  not null,
    constraint users_custom_claims_is_object check (jsonb_typeof(custom_claims) = 'object')
);

create unique index users_username_lower_key on users (lower(username));
