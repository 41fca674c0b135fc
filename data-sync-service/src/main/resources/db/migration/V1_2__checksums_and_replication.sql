-- Verification compares rows and checksums chunk by chunk: both sides' counts and the first differing chunk are kept.
alter table copied_table rename column row_count to target_rows;
alter table copied_table add column source_rows bigint not null default 0;
alter table copied_table add column difference text;

-- Live replications under way: one per migration and database, until the compensation ends it or, after the final
-- sync (ending), the monitor removes its subscription, slot and publication outside the freeze.
-- The lag reporter walks this table; the traceparent keeps its reports in the migration's trace.
create table replication (
    migration_id       uuid    not null,
    database           text    not null,
    source_environment text    not null,
    target_environment text    not null,
    traceparent        text,
    verify_millis      bigint  not null default 0,
    wal_warned         boolean not null default false,
    ending             boolean not null default false,
    primary key (migration_id, database)
);
