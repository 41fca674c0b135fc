package dev.cutover.sampleapp;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The HTTP API: routing, JSON in and out, and the mapping of failures to status codes. */
final class Api implements HttpHandler {

    private static final Pattern CUSTOMER = Pattern.compile("/customers/(\\d{1,18})");
    private static final Pattern ORDER = Pattern.compile("/orders/(\\d{1,18})");
    // Keeps eight concurrent requests well inside a 48 MB heap.
    private static final int MAX_BODY_BYTES = 1 << 20;
    private static final BigDecimal AMOUNT_LIMIT = new BigDecimal("10000000000"); // numeric(12,2)

    private record Response(int status, JsonNode body) {
    }

    private static final class ApiException extends Exception {
        final int status;
        final String allow;

        ApiException(int status, String message) {
            this(status, message, null);
        }

        ApiException(int status, String message, String allow) {
            super(message, null, false, false);
            this.status = status;
            this.allow = allow;
        }
    }

    // Exact decimals: an amount sent as a JSON number must not pass through a double.
    private final ObjectMapper json = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final Shop shop;
    private final Seeder seeder;
    private final String servedBy;
    private final ConnectionPool pool;
    private final Activity activity;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    Api(Shop shop, Seeder seeder, String servedBy, ConnectionPool pool, Activity activity) {
        this.activity = activity;
        this.shop = shop;
        this.seeder = seeder;
        this.servedBy = servedBy;
        this.pool = pool;
    }

    @Override
    public void handle(HttpExchange exchange) {
        inFlight.incrementAndGet();
        try {
            exchange.getResponseHeaders().set("X-Served-By", servedBy);
            Response response;
            if (draining) {
                exchange.getResponseHeaders().set("Connection", "close");
                response = error(503, "shutting down");
            } else {
                response = respond(exchange);
            }
            byte[] bytes = json.writeValueAsBytes(response.body());
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(response.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException e) {
            // The client went away; there is nobody left to answer.
        } finally {
            exchange.close();
            inFlight.decrementAndGet();
        }
    }

    /**
     * Answers new requests with 503 from now on and waits up to {@code timeoutMillis} for the ones in progress, because
     * the JDK 17 HttpServer's stop() cuts open exchanges off.
     */
    void drain(long timeoutMillis) throws InterruptedException {
        draining = true;
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private Response respond(HttpExchange exchange) {
        try {
            return route(exchange);
        } catch (ApiException e) {
            if (e.allow != null) {
                exchange.getResponseHeaders().set("Allow", e.allow);
            }
            return error(e.status, e.getMessage());
        } catch (Shop.UnknownCustomerException e) {
            return error(422, e.getMessage());
        } catch (SQLException e) {
            if (unavailable(e)) {
                // No driver message: it can name the database user.
                SampleApp.log("database unavailable: " + (e instanceof SQLTransientConnectionException ? e.getMessage() : "SQLSTATE " + e.getSQLState()));
                return error(503, "database unavailable");
            }
            SampleApp.log("database error on " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
                    + ": SQLSTATE " + e.getSQLState() + " " + e.getMessage());
            return error(500, "database error");
        } catch (redis.clients.jedis.exceptions.JedisException e) {
            // No client message: it can name the Redis user.
            SampleApp.log("redis unavailable on " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + ": "
                    + e.getClass().getSimpleName());
            return error(503, "redis unavailable");
        } catch (RuntimeException e) {
            SampleApp.log("failed " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + ": " + e);
            return error(500, "internal error");
        }
    }

    private Response route(HttpExchange exchange) throws ApiException, SQLException, Shop.UnknownCustomerException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        // The app's own traffic is counted, not the platform's probes.
        if (!path.equals("/health") && !path.equals("/schema")) {
            activity.hit();
        }
        switch (path) {
            case "/health" -> {
                allow(method, "GET");
                return health();
            }
            case "/customers" -> {
                allow(method, "POST");
                return createCustomer(body(exchange));
            }
            case "/orders" -> {
                allow(method, "POST");
                return createOrder(body(exchange));
            }
            case "/stats" -> {
                allow(method, "GET");
                return stats(shop.stats());
            }
            case "/seed" -> {
                allow(method, "POST");
                return seed(query(exchange));
            }
            case "/schema" -> {
                allow(method, "GET");
                return schema();
            }
            case "/schema/migrate" -> {
                allow(method, "POST");
                Migrations.apply(pool);
                return schema();
            }
            default -> {
                Matcher customer = CUSTOMER.matcher(path);
                if (customer.matches()) {
                    allow(method, "GET");
                    return shop.customer(Long.parseLong(customer.group(1)))
                            .map(c -> new Response(200, customerJson(c)))
                            .orElseGet(() -> error(404, "customer not found"));
                }
                Matcher order = ORDER.matcher(path);
                if (order.matches()) {
                    allow(method, "GET");
                    return shop.order(Long.parseLong(order.group(1)))
                            .map(o -> new Response(200, orderJson(o)))
                            .orElseGet(() -> error(404, "order not found"));
                }
                throw new ApiException(404, "not found");
            }
        }
    }

    /** The schema migrations this release has that the database lacks. */
    private Response schema() throws SQLException {
        var body = json.createObjectNode();
        var pending = body.putArray("pending");
        for (Migrations.Migration m : Migrations.pending(pool)) {
            pending.addObject().put("version", m.version()).put("name", m.name());
        }
        return new Response(200, body);
    }

    private Response health() {
        boolean up = shop.healthy();
        return new Response(up ? 200 : 503, json.createObjectNode().put("status", up ? "UP" : "DOWN"));
    }

    private Response createCustomer(JsonNode body) throws ApiException, SQLException {
        String name = text(body, "name");
        if (name == null || name.isBlank()) {
            throw new ApiException(400, "name is required");
        }
        Shop.Customer customer = shop.addCustomer(name, text(body, "email"));
        activity.signedUp(customer);
        return new Response(201, customerJson(customer));
    }

    private Response createOrder(JsonNode body) throws ApiException, SQLException, Shop.UnknownCustomerException {
        JsonNode customerId = body.get("customerId");
        if (customerId == null || !customerId.isIntegralNumber() || !customerId.canConvertToLong()) {
            throw new ApiException(400, "customerId is required and must be an integer");
        }
        Shop.Order order = shop.addOrder(customerId.longValue(), amount(body), text(body, "note"), receipt(body));
        activity.ordered(order);
        return new Response(201, orderJson(order));
    }

    private Response seed(Map<String, String> query) throws ApiException, SQLException {
        int customers = intParameter(query, "customers", 100, Seeder.MAX_CUSTOMERS);
        int ordersPerCustomer = intParameter(query, "ordersPerCustomer", 10, Seeder.MAX_ORDERS_PER_CUSTOMER);
        if ((long) customers * ordersPerCustomer > Seeder.MAX_ORDERS) {
            throw new ApiException(400, "at most " + Seeder.MAX_ORDERS + " orders per seed");
        }
        long started = System.nanoTime();
        Shop.Stats totals = seeder.seed(customers, ordersPerCustomer);
        SampleApp.log("seeded " + customers + " customers and " + (long) customers * ordersPerCustomer + " orders in "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
        return stats(totals);
    }

    private Response stats(Shop.Stats stats) {
        return new Response(200, json.createObjectNode().put("customers", stats.customers()).put("orders", stats.orders()));
    }

    private JsonNode customerJson(Shop.Customer customer) {
        return json.createObjectNode()
                .put("id", customer.id())
                .put("name", customer.name())
                .put("email", customer.email())
                .put("createdAt", customer.createdAt().toString());
    }

    private JsonNode orderJson(Shop.Order order) {
        ObjectNode node = json.createObjectNode()
                .put("id", order.id())
                .put("customerId", order.customerId())
                // A string, so that no client's float parsing rounds it.
                .put("amount", order.amount().toPlainString())
                .put("note", order.note());
        node.put("receipt", order.receipt() == null ? null : Base64.getEncoder().encodeToString(order.receipt()));
        return node.put("placedAt", order.placedAt().toString());
    }

    private static BigDecimal amount(JsonNode body) throws ApiException {
        JsonNode node = body.get("amount");
        BigDecimal amount;
        if (node != null && node.isNumber()) {
            amount = node.decimalValue();
        } else if (node != null && node.isTextual()) {
            try {
                amount = new BigDecimal(node.textValue().trim());
            } catch (NumberFormatException e) {
                throw new ApiException(400, "amount must be a decimal number");
            }
        } else {
            throw new ApiException(400, "amount is required, as a decimal string like \"12.34\"");
        }
        // Rejected rather than rounded by the column, so what is read back equals what was sent.
        if (amount.stripTrailingZeros().scale() > 2) {
            throw new ApiException(400, "amount has more than 2 decimal places");
        }
        if (amount.abs().compareTo(AMOUNT_LIMIT) >= 0) {
            throw new ApiException(400, "amount must be below 10000000000");
        }
        return amount;
    }

    private static byte[] receipt(JsonNode body) throws ApiException {
        String encoded = text(body, "receipt");
        if (encoded == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "receipt must be base64");
        }
    }

    /** An optional string field: null when absent or JSON null. */
    private static String text(JsonNode body, String field) throws ApiException {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new ApiException(400, field + " must be a string");
        }
        return node.textValue();
    }

    private JsonNode body(HttpExchange exchange) throws ApiException {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw new ApiException(400, "could not read the request body");
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ApiException(413, "request body larger than " + MAX_BODY_BYTES + " bytes");
        }
        JsonNode body;
        try {
            body = json.readTree(bytes);
        } catch (JacksonException e) {
            throw new ApiException(400, "request body is not valid JSON");
        } catch (IOException e) {
            throw new ApiException(400, "could not read the request body");
        }
        if (body == null || !body.isObject()) {
            throw new ApiException(400, "request body must be a JSON object");
        }
        return body;
    }

    private static Map<String, String> query(HttpExchange exchange) throws ApiException {
        Map<String, String> parameters = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                parameters.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "malformed query string");
            }
        }
        return parameters;
    }

    private static int intParameter(Map<String, String> query, String name, int defaultValue, int max) throws ApiException {
        String value = query.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= 0 && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // Answered below, like an out-of-range number.
        }
        throw new ApiException(400, name + " must be a whole number from 0 to " + max);
    }

    private static void allow(String method, String allowed) throws ApiException {
        if (!allowed.equals(method)) {
            throw new ApiException(405, "method " + method + " not allowed", allowed);
        }
    }

    /** Connection failures, a server shutting down or refusing sessions, a read-only (frozen) database. */
    private static boolean unavailable(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53") || state.equals("25006"));
    }

    private Response error(int status, String message) {
        return new Response(status, json.createObjectNode().put("error", message));
    }
}
