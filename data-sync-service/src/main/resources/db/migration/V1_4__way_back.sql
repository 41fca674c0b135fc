-- The way back: a replication from the target to the source, started at the switch point (reverse), whose subscription
-- on the source is made once the forward replication is gone (subscribed).
alter table replication add column reverse boolean not null default false;
alter table replication add column subscribed boolean not null default true;
alter table replication drop constraint replication_pkey;
alter table replication add primary key (migration_id, database, reverse);
