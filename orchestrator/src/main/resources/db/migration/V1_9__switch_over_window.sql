-- The switch-over window: the migration confirms itself from switch_over_at (until switch_over_until, if set).
alter table migration add column switch_over_at timestamptz;
alter table migration add column switch_over_until timestamptz;
alter table migration add column window_passed boolean not null default false;
