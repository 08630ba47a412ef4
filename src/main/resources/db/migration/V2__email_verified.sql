-- Whether the email address was set or confirmed by an admin (or the bootstrap configuration). A
-- self-registered address is only what the user typed, so it starts unverified; so do addresses stored
-- before this column existed, since nothing recorded who set them.
alter table users add column email_verified boolean not null default false;
