-- The downtime budget: a live migration freezes only when the predicted freeze fits it, or when the user forces it.
alter table migration add column freeze_budget_millis bigint not null default 1000;
alter table migration add column predicted_freeze_millis bigint;
alter table migration add column forced boolean not null default false;
