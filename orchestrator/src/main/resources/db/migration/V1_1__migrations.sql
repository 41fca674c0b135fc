-- The migration aggregate: its facts, where it stands in the saga, and the deadline of the step that runs.
create table migration (
    id                 uuid primary key,
    environment        text        not null,
    target_server      text        not null,
    target_name        text        not null,
    strategy           text        not null,
    auto_confirm       boolean     not null,
    requested_by       text,
    idempotency_key    text unique,
    state              text        not null,
    step_index         int         not null,
    outcome_after_compensation text,
    reason             text,
    step_deadline      timestamptz,
    created_at         timestamptz not null,
    updated_at         timestamptz not null
);
create index migration_environment on migration (environment);
create index migration_deadline on migration (step_deadline) where step_deadline is not null;

-- Each step of a migration: when it started and ended, how it ended, the last progress and its figures.
create table migration_step (
    id           bigserial primary key,
    migration_id uuid        not null references migration (id),
    step         text        not null,
    status       text        not null,
    started_at   timestamptz,
    finished_at  timestamptz,
    detail       text,
    figures      jsonb       not null default '{}',
    unique (migration_id, step)
);

-- Every transition: who, when, why.
create table migration_history (
    id           bigserial primary key,
    migration_id uuid        not null references migration (id),
    at           timestamptz not null,
    from_state   text,
    to_state     text        not null,
    actor        text        not null,
    reason       text
);
create index migration_history_migration on migration_history (migration_id, id);

-- The preflight report of a migration.
create table migration_check (
    id           bigserial primary key,
    migration_id uuid not null references migration (id),
    check_id     text not null,
    severity     text not null,
    outcome      text not null,
    reason       text not null,
    unique (migration_id, check_id)
);
