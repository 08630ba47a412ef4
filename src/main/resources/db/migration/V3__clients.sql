-- OAuth 2.0 clients (service-to-service tokens, client_credentials grant).
-- Secrets are 256-bit random values; only their SHA-256 digest (base64url) is stored. During a rotation
-- the previous digest stays valid until previous_secret_valid_until.
create table clients (
    id                          varchar(64)  primary key,
    secret_digest               varchar(64),
    previous_secret_digest      varchar(64),
    previous_secret_valid_until timestamptz,
    scopes                      text[]       not null default '{}',
    default_scopes              text[]       not null default '{}',
    audience                    text[]       not null default '{}',
    token_lifetime_seconds      integer      not null,
    enabled                     boolean      not null default true,
    jwks                        text,
    jwks_uri                    varchar(2048),
    created_at                  timestamptz  not null,
    updated_at                  timestamptz  not null,
    constraint clients_id_format check (id ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
    constraint clients_lifetime_positive check (token_lifetime_seconds > 0)
);
