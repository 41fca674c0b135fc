-- Finalize: the rollback window ending removes only the way back; the retention ending removes the source too.
alter table migration add column way_back_ended boolean not null default false;
alter table migration add column finalize_at timestamptz;
-- Finalized migrations point at the last row of the finalize table (they pointed at the complete step).
update migration set step_index = 2, way_back_ended = true where state = 'FINALIZED';
