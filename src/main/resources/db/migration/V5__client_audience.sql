-- Every client names the APIs its tokens are for (issue #23: a token with Sigil's own user audience passed
-- as a user token elsewhere). The admin API also refuses the configured user audience, which SQL cannot
-- know. Sigil was never released: a client stored without an audience cannot be valid and is removed.
-- introspection_audiences: the audiences whose tokens the client may introspect (RFC 7662 section 4);
-- empty, it may introspect only its own tokens.
delete from clients where cardinality(audience) = 0;
alter table clients
    add constraint clients_audience_required check (cardinality(audience) between 1 and 50),
    add column introspection_audiences text[] not null default '{}';
