-- A plan shows the switch-over window it was asked with.
alter table plan add column switch_over_at timestamptz;
alter table plan add column switch_over_until timestamptz;
