-- The PostgreSQL version an operator declares for a server, reported instead of the server's own answer
-- (a stand-in for an older server where only one PostgreSQL version is installed).
alter table server add column declared_postgres_version text;
