-- Which environment answers each hostname. An old address kept after a switch-over forwards until forward_until,
-- then answers "moved" pointing at moved_to.
create table route (
    hostname      text primary key,
    environment   text not null,
    forward_until timestamptz,
    moved_to      text
);

-- What a switch-over changed, so a rollback can put every route back.
create table switch_record (
    migration_id uuid primary key,
    environment  text        not null,
    target       text        not null,
    previous     jsonb       not null,
    switched_at  timestamptz not null default now()
);
