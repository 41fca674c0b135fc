-- Targets this service created, per migration: a compensation destroys only what its migration created,
-- never an environment that merely has the same name.
create table provisioned_target (
    migration_id uuid primary key,
    target_name  text        not null,
    source_name  text        not null,
    created_at   timestamptz not null default now()
);
