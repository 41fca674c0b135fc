-- The services' own databases on the control PostgreSQL (docker compose only; the embedded stack creates them itself).
create database orchestrator;
create database preflight;
create database provisioning;
create database data_sync;
create database traffic;
create database local_platform;
