-- Retries with back-off of a failing compensation (or a step after the switch-over), then needs-attention.
alter table migration add column attempts int not null default 0;
alter table migration add column max_attempts int not null default 5;
alter table migration add column retry_at timestamptz;
