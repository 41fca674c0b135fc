package dev.cutover.sampleapp;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/** The shop's data: customers and their orders, in PostgreSQL. */
final class Shop {

    record Customer(long id, String name, String email, Instant createdAt) {
    }

    record Order(long id, long customerId, BigDecimal amount, String note, byte[] receipt, Instant placedAt) {
    }

    record Stats(long customers, long orders) {
    }

    /** Thrown when an order names a customer that doesn't exist. */
    static final class UnknownCustomerException extends Exception {
        UnknownCustomerException(long customerId) {
            super("customer " + customerId + " does not exist");
        }
    }

    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private final ConnectionPool pool;

    Shop(ConnectionPool pool) {
        this.pool = pool;
    }

    boolean healthy() {
        try {
            return pool.withConnection(connection -> {
                try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("select 1")) {
                    return rows.next();
                }
            });
        } catch (SQLException e) {
            return false;
        }
    }

    Customer addCustomer(String name, String email) throws SQLException {
        return pool.withConnection(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into customers (name, email) values (?, ?) returning id, name, email, created_at")) {
                insert.setString(1, name);
                insert.setString(2, email);
                try (ResultSet rows = insert.executeQuery()) {
                    rows.next();
                    return customer(rows);
                }
            }
        });
    }

    Optional<Customer> customer(long id) throws SQLException {
        return pool.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement("select id, name, email, created_at from customers where id = ?")) {
                select.setLong(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(customer(rows)) : Optional.empty();
                }
            }
        });
    }

    Order addOrder(long customerId, BigDecimal amount, String note, byte[] receipt) throws SQLException, UnknownCustomerException {
        try {
            return pool.withConnection(connection -> {
                try (PreparedStatement insert = connection.prepareStatement(
                        "insert into orders (customer_id, amount, note, receipt) values (?, ?, ?, ?) "
                                + "returning id, customer_id, amount, note, receipt, placed_at")) {
                    insert.setLong(1, customerId);
                    insert.setBigDecimal(2, amount);
                    insert.setString(3, note);
                    insert.setBytes(4, receipt);
                    try (ResultSet rows = insert.executeQuery()) {
                        rows.next();
                        return order(rows);
                    }
                }
            });
        } catch (SQLException e) {
            // The foreign key decides atomically, where a look-up first could race a concurrent delete.
            if (FOREIGN_KEY_VIOLATION.equals(e.getSQLState())) {
                throw new UnknownCustomerException(customerId);
            }
            throw e;
        }
    }

    Optional<Order> order(long id) throws SQLException {
        return pool.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "select id, customer_id, amount, note, receipt, placed_at from orders where id = ?")) {
                select.setLong(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(order(rows)) : Optional.empty();
                }
            }
        });
    }

    Stats stats() throws SQLException {
        return pool.withConnection(Shop::stats);
    }

    /** Exact counts, both read in one statement so they come from the same snapshot. */
    static Stats stats(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select (select count(*) from customers), (select count(*) from orders)")) {
            rows.next();
            return new Stats(rows.getLong(1), rows.getLong(2));
        }
    }

    private static Customer customer(ResultSet rows) throws SQLException {
        return new Customer(rows.getLong("id"), rows.getString("name"), rows.getString("email"),
                rows.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    private static Order order(ResultSet rows) throws SQLException {
        return new Order(rows.getLong("id"), rows.getLong("customer_id"), rows.getBigDecimal("amount"), rows.getString("note"),
                rows.getBytes("receipt"), rows.getObject("placed_at", OffsetDateTime.class).toInstant());
    }
}
