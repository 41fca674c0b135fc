-- The way back: a move without one (no reverse replication from the switch point), on a migration and on a plan.
alter table migration add column one_way boolean not null default false;
alter table plan add column one_way boolean not null default false;
-- Until when a completed migration can roll back (its rollback window); then it is finalized.
alter table migration add column rollback_until timestamptz;
