package dev.cutover.platform.redis;

import dev.cutover.platform.DatabaseCredentials;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One connection to a Redis server, speaking RESP2: commands as arrays of binary strings, pipelined when given as a list.
 * Replies are {@code String} (status), {@code byte[]} (bulk, {@code null} for nil), {@code Long}, {@code List<Object>},
 * or, inside a pipeline, a {@link RedisException} for a command Redis refused. Small on purpose: what administering and
 * moving a Redis database takes, nothing more (no pool, no cluster, no pub/sub).
 */
public final class RedisConnection implements AutoCloseable {

    private static final int TIMEOUT_MILLIS = 30_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RedisConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /** Connects and logs in as the credentials' user; the database number is the credentials' {@code database}. */
    public static RedisConnection open(DatabaseCredentials c) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(c.host(), c.port()), 5_000);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            RedisConnection r = new RedisConnection(socket);
            if (c.password() != null) {
                r.call("AUTH", c.user(), c.password());
            }
            if (c.database() != null && !c.database().equals("0")) {
                r.call("SELECT", c.database());
            }
            return r;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends one command and returns its reply; a refusal is thrown. */
    public Object call(Object... args) throws IOException {
        write(args);
        out.flush();
        Object reply = read();
        if (reply instanceof RedisException e) {
            throw e;
        }
        return reply;
    }

    /** {@link #call} for a command answering a bulk string. */
    public String string(Object... args) throws IOException {
        Object reply = call(args);
        return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : reply == null ? null : reply.toString();
    }

    /** Sends every command, then reads every reply in order: one round trip for the lot. */
    public List<Object> pipeline(List<Object[]> commands) throws IOException {
        for (Object[] command : commands) {
            write(command);
        }
        out.flush();
        List<Object> replies = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            replies.add(read());
        }
        return replies;
    }

    /** {@code INFO section} as its fields. */
    public Map<String, String> info(String section) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : string("INFO", section).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return fields;
    }

    private void write(Object[] args) throws IOException {
        out.write(('*' + Integer.toString(args.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (Object arg : args) {
            byte[] bytes = arg instanceof byte[] b ? b : String.valueOf(arg).getBytes(StandardCharsets.UTF_8);
            out.write(('$' + Integer.toString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.write('\r');
            out.write('\n');
        }
    }

    private Object read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new IOException("Redis closed the connection");
        }
        String line = line();
        return switch (type) {
            case '+' -> line;
            case '-' -> new RedisException(line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    yield null;
                }
                byte[] bytes = in.readNBytes(length);
                in.readNBytes(2);
                yield bytes;
            }
            case '*' -> {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    yield null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(read());
                }
                yield items;
            }
            default -> throw new IOException("not a Redis reply: '" + (char) type + line + "'");
        };
    }

    private String line() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(32);
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) {
                throw new IOException("Redis closed the connection");
            }
            buffer.write(b);
        }
        in.read();
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }

    /** A command Redis refused ({@code -ERR ...}, {@code -NOPERM ...}): its reply. */
    public static final class RedisException extends IOException {
        public RedisException(String reply) {
            super(reply);
        }
    }
}
