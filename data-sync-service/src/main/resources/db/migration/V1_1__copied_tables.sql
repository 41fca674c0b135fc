-- What the last copy of a migration put on the target, table by table: the snapshot that verification compares
-- the target with while the source keeps changing (before the freeze).
create table copied_table (
    migration_id uuid   not null,
    database     text   not null,
    table_name   text   not null,
    row_count    bigint not null,
    primary key (migration_id, database, table_name)
);
