-- A server: a real PostgreSQL server plus an app host on this machine, in a region, with a capacity.
create table server (
    name             text primary key,
    region           text    not null,
    online           boolean not null default true,
    postgres_host    text    not null,
    postgres_port    int     not null,
    memory_mb        bigint  not null,
    disk_mb          bigint  not null,
    max_environments int     not null
);

create table environment (
    name          text primary key,
    owner         text    not null,
    server        text    not null references server (name),
    plan_size     text    not null,
    plan_ha       boolean not null default false,
    release       text,
    status        text    not null default 'stopped',
    port          int,
    pid           bigint,
    maintenance   boolean not null default false,
    frozen        boolean not null default false,
    protected     boolean not null default false,
    is_default    boolean not null default false,
    formation     jsonb   not null default '{}',
    settings      jsonb   not null default '{}',
    notifiers     jsonb   not null default '[]',
    log_drains    jsonb   not null default '[]',
    autoscalers   jsonb   not null default '[]',
    collaborators jsonb   not null default '[]',
    -- Secrets live here: env var values, domains' private keys, database passwords. Never in an answer or a log line.
    env_vars      jsonb   not null default '{}',
    domains       jsonb   not null default '[]',
    databases     jsonb   not null default '[]'
);
