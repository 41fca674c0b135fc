-- The root of the migration's trace: what the API, the timers and the services do for it continue this trace.
alter table migration add column traceparent text;
