package dev.cutover.sampleapp;

import java.net.URI;
import java.util.Map;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/**
 * What the shop keeps in its Redis store ({@code REDIS_URL}), as apps keep sessions and recent activity there: a request
 * counter (a string), each customer's profile (a hash) and the customers by sign-up time (a sorted set), each order's
 * summary (a hash, kept 7 days), each customer's recent orders (a list). Without {@code REDIS_URL} the app keeps none of it.
 */
final class Activity {

    static final int ORDER_TTL_SECONDS = 7 * 24 * 3600;

    private final JedisPooled redis;

    Activity(String url) {
        this.redis = url == null ? null : new JedisPooled(URI.create(url));
    }

    /** Counts the request; best effort: a counter that missed one request is no reason to fail it. */
    void hit() {
        if (redis != null) {
            try {
                redis.incr("hits");
            } catch (JedisException e) {
                // counted next time
            }
        }
    }

    /** Records a new customer; throws if Redis refuses, so the customer is not acknowledged without its profile. */
    void signedUp(Shop.Customer customer) {
        if (redis == null) {
            return;
        }
        Map<String, String> profile = new java.util.HashMap<>(Map.of("name", customer.name()));
        if (customer.email() != null) {
            profile.put("email", customer.email());
        }
        redis.hset("customer:" + customer.id(), profile);
        redis.zadd("customers:by-signup", System.currentTimeMillis(), String.valueOf(customer.id()));
    }

    /** Records an order; throws if Redis refuses, so the order is not acknowledged without its activity. */
    void ordered(Shop.Order order) {
        if (redis == null) {
            return;
        }
        String key = "order:" + order.id();
        redis.hset(key, Map.of("customer", String.valueOf(order.customerId()), "amount", order.amount().toPlainString(),
                "placedAt", order.placedAt().toString()));
        redis.expire(key, ORDER_TTL_SECONDS);
        redis.lpush("customer:" + order.customerId() + ":recent", String.valueOf(order.id()));
        redis.ltrim("customer:" + order.customerId() + ":recent", 0, 19);
        redis.zadd("orders:by-amount", order.amount().doubleValue(), String.valueOf(order.id()));
    }
}
