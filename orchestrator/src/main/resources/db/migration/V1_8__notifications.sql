-- The environment's notifiers, read from the platform when the migration is created (the source may be gone later).
alter table migration add column notifiers jsonb;
-- Each milestone of a migration for each notifier, written with the change it announces; delivered in order per
-- notifier and migration, retried with back-off, given up after the last attempt.
create table notification (
    id           bigserial primary key,
    migration_id uuid        not null,
    notifier     text        not null,
    milestone    text        not null,
    body         jsonb       not null,
    created_at   timestamptz not null,
    attempts     int         not null default 0,
    next_at      timestamptz not null,
    delivered_at timestamptz,
    gave_up_at   timestamptz,
    last_error   text
);
create index notification_pending on notification (migration_id, notifier, id) where delivered_at is null and gave_up_at is null;
