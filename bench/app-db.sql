-- The generated database of bench/copy.sh (DATASET=app): an application's shape rather than pgbench's single big
-- table. Five tables, all with primary keys (one composite), secondary and unique indexes, foreign keys, an enum,
-- numeric, timestamptz, text[] and jsonb columns. About 1.8 GB on disk (pg_database_size 1,935,564,135 bytes), deterministic.
\set ON_ERROR_STOP on
create type order_status as enum ('new', 'paid', 'shipped', 'delivered', 'cancelled');

create table customers (
    id bigserial, email text not null, name text not null, country char(2) not null, created_at timestamptz not null);
insert into customers (email, name, country, created_at)
select 'user' || g || '@example.com', 'Customer ' || md5(g::text), (array['DE','FR','NL','US','GB','ES','IT','PL'])[1 + g % 8],
       timestamptz '2020-01-01 00:00:00+00' + g * interval '37 seconds'
from generate_series(1, 1000000) g;

create table products (
    id serial, sku text not null, name text not null, price numeric(10,2) not null, tags text[]);
insert into products (sku, name, price, tags)
select 'SKU-' || lpad(g::text, 8, '0'), 'Product ' || md5(g::text), (g % 10000) / 100.0 + 0.99,
       array['tag' || g % 7, 'tag' || g % 11]
from generate_series(1, 100000) g;

create table orders (
    id bigserial, customer_id bigint not null, status order_status not null, total numeric(12,2) not null,
    created_at timestamptz not null, note text);
insert into orders (customer_id, status, total, created_at, note)
select 1 + (g::bigint * 7919) % 1000000, (enum_range(null::order_status))[1 + g % 5], (g % 100000) / 100.0,
       timestamptz '2021-01-01 00:00:00+00' + g * interval '11 seconds',
       case when g % 4 = 0 then 'please deliver to the back door, order ' || g end
from generate_series(1, 3000000) g;

create table order_items (
    order_id bigint not null, line int not null, product_id int not null, quantity int not null, unit_price numeric(10,2) not null);
insert into order_items (order_id, line, product_id, quantity, unit_price)
select o, l, 1 + (o * 31 + l * 7) % 100000, 1 + (o + l) % 5, ((o * l) % 10000) / 100.0 + 0.99
from generate_series(1, 3000000) o, generate_series(1, 3) l;

create table events (
    id bigserial, customer_id bigint not null, kind text not null, payload jsonb not null, at timestamptz not null);
insert into events (customer_id, kind, payload, at)
select 1 + (g::bigint * 104729) % 1000000, (array['login','view','cart','checkout','logout'])[1 + g % 5],
       jsonb_build_object('session', md5(g::text), 'path', '/products/' || g % 100000, 'agent', 'Mozilla/5.0 (X11; Linux x86_64)',
                          'ms', g % 977, 'ok', g % 13 <> 0),
       timestamptz '2022-01-01 00:00:00+00' + g * interval '3 seconds'
from generate_series(1, 1500000) g;

alter table customers add primary key (id);
alter table customers add constraint customers_email_key unique (email);
alter table products add primary key (id);
alter table products add constraint products_sku_key unique (sku);
alter table orders add primary key (id);
create index orders_customer_id on orders (customer_id);
create index orders_created_at on orders (created_at);
alter table order_items add primary key (order_id, line);
create index order_items_product_id on order_items (product_id);
alter table events add primary key (id);
create index events_customer_at on events (customer_id, at);
alter table orders add constraint orders_customer_fk foreign key (customer_id) references customers (id);
alter table order_items add constraint order_items_order_fk foreign key (order_id) references orders (id);
alter table order_items add constraint order_items_product_fk foreign key (product_id) references products (id);
alter table events add constraint events_customer_fk foreign key (customer_id) references customers (id);
vacuum (freeze, analyze);
