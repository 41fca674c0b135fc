-- A replication is of a PostgreSQL database (subscription, slot, publication) or of a Redis one (REPLICAOF).
alter table replication add column kind text not null default 'postgresql';
