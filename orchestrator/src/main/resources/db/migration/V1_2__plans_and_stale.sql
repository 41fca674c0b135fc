-- A dry run: the preflight report of a migration that is not created.
create table plan (
    id            uuid primary key,
    environment   text        not null,
    target_server text        not null,
    target_name   text        not null,
    strategy      text        not null,
    state         text        not null,
    checks        jsonb,
    created_at    timestamptz not null
);

-- When a migration began to wait for confirmation, and when it was flagged stale for waiting too long (once per wait).
alter table migration add column awaiting_since timestamptz;
alter table migration add column stale_at timestamptz;
