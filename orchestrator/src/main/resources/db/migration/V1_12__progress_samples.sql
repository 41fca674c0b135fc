-- The figures of a step's progress reports over time (a replication's lag, the copy's bytes), for the dashboard's
-- charts; thinned to every other sample when a step's part has too many, so a long rollback window stays small.
create table migration_sample (
    id           bigserial primary key,
    migration_id uuid        not null,
    step         text        not null,
    part         text,
    at           timestamptz not null,
    figures      jsonb       not null
);
create index migration_sample_by_step on migration_sample (migration_id, step, part, at);
