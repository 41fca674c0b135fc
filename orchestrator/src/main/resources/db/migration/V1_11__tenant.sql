-- Whose migration it is: the environment's owner (or, when the platform could not say, the tenant that asked);
-- null only for one created by an identity of every tenant while the platform did not answer.
alter table migration add column tenant text;
create index migration_tenant on migration (tenant, created_at desc);
