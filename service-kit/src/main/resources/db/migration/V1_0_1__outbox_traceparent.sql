-- The W3C trace context of each message, published as the Kafka header `traceparent` as well as in the envelope.
alter table outbox_message add column traceparent text;
