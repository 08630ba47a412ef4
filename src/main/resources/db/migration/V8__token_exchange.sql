-- Token exchange (RFC 8693, issue #28): what each client may do with tokens handed to it. Empty, a client
-- may not exchange at all (the default: delegation is granted on purpose, per client).
-- exchange_subjects: which subject tokens it may exchange, 'user' and/or 'client'.
-- exchange_scopes: the scopes it may pass on in an exchanged token (only ever narrowing the subject's).
alter table clients
    add column exchange_subjects text[] not null default '{}',
    add column exchange_scopes text[] not null default '{}',
    add constraint clients_exchange_subjects check (exchange_subjects <@ array['user', 'client']::text[]);
