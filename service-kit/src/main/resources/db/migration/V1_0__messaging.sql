-- The transactional outbox: messages written in the same transaction as the state change that causes them,
-- published to Kafka by the relay in insertion order, deleted once the broker has them.
create table outbox_message (
    seq         bigserial   not null unique,
    id          uuid        primary key,
    topic       text        not null,
    message_key text        not null,
    payload     text        not null,
    created_at  timestamptz not null default now()
);

-- The processed-message log: a consumer records each message id in the transaction that handles it,
-- so a redelivered message is recognised and does nothing twice.
create table processed_message (
    consumer     text        not null,
    message_id   text        not null,
    processed_at timestamptz not null default now(),
    primary key (consumer, message_id)
);
