package dev.cutover.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The orchestrator's REST API over the JDK's own HTTP client. Every failure to get an answer is {@link Exit#UNREACHABLE}.
 *
 * <p>{@link HttpURLConnection} rather than {@code java.net.http.HttpClient}: the latter sets up its TLS machinery and
 * selector thread even for plain http, measured at ~450 ms of every run here against ~65 ms for this one, and the CLI
 * must start in well under a second.
 */
final class Api {

    static final String DEFAULT_URL = "http://127.0.0.1:8080";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    static {
        // HttpURLConnection would otherwise resend a POST once when the connection drops before the answer:
        // a second create, confirm or abort must only ever come from the user.
        System.setProperty("sun.net.http.retryPost", "false");
    }

    private final String base;
    private final String token;

    /** {@code token}: the bearer token every request carries ({@code null}: none). */
    Api(String base, String token) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
    }

    boolean hasToken() {
        return token != null;
    }

    String base() {
        return base;
    }

    /** Checks a base URL given with --api or CUTOVER_API; the problem in words, or null if it is fine. */
    static String invalid(String url) {
        try {
            URI uri = new URI(url);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                return "'" + url + "' is not an http:// or https:// URL";
            }
            if (uri.getHost() == null) {
                return "'" + url + "' has no host";
            }
            return null;
        } catch (URISyntaxException e) {
            return "'" + url + "' is not a URL";
        }
    }

    Answer get(String path) {
        return send("GET", path, null, Map.of());
    }

    Answer post(String path, JsonNode body, Map<String, String> headers) {
        return send("POST", path, body == null ? new byte[0] : Json.write(body).getBytes(StandardCharsets.UTF_8), headers);
    }

    private Answer send(String method, String path, byte[] body, Map<String, String> headers) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(base + path).toURL().openConnection();
            c.setRequestMethod(method);
            c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            c.setReadTimeout((int) READ_TIMEOUT.toMillis());
            c.setUseCaches(false);
            c.setInstanceFollowRedirects(false);
            c.setRequestProperty("Accept", "application/json, application/problem+json");
            c.setRequestProperty("User-Agent", "cutover-cli");
            if (token != null) {
                c.setRequestProperty("Authorization", "Bearer " + token);
            }
            headers.forEach(c::setRequestProperty);
            if (body != null) {
                if (body.length > 0) {
                    c.setRequestProperty("Content-Type", "application/json");
                }
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String text = "";
            if (in != null) {
                try (in) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return new Answer(status, text, path);
        } catch (ConnectException e) {
            throw unreachable(e.getMessage() != null && e.getMessage().toLowerCase().contains("timed out")
                    ? "connection timed out after " + CONNECT_TIMEOUT.toSeconds() + " s" : "connection refused");
        } catch (SocketTimeoutException e) {
            throw unreachable(String.valueOf(e.getMessage()).contains("connect")
                    ? "connection timed out after " + CONNECT_TIMEOUT.toSeconds() + " s"
                    : "no answer within " + READ_TIMEOUT.toSeconds() + " s");
        } catch (UnknownHostException e) {
            throw unreachable("unknown host " + e.getMessage());
        } catch (IOException | IllegalArgumentException e) {
            throw unreachable(reason(e));
        }
    }

    private CliException unreachable(String reason) {
        return new CliException(Exit.UNREACHABLE, "cannot reach the Cutover API at " + base + ": " + reason);
    }

    private static String reason(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }

    /** One answer: status and body as received. */
    record Answer(int status, String body, String path) {

        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The body as JSON, or null if it is not JSON. */
        JsonNode json() {
            return Json.parse(body);
        }

        /** The problem's detail (RFC 9457), else its title, else the status; always one line. */
        String detail() {
            JsonNode problem = json();
            String text = null;
            if (problem != null && problem.isObject()) {
                text = firstText(problem, "detail", "title", "message");
            }
            if (text == null) {
                text = "HTTP " + status;
            }
            return text.replaceAll("\\s*\\R\\s*", " ").trim();
        }

        /** True if a 404/405 comes from the server not knowing the path at all, rather than from a missing resource. */
        boolean unknownPath() {
            if (status != 404 && status != 405 && status != 501) {
                return false;
            }
            return status != 404
                    || detail().matches("(?i)HTTP \\d{3}.*|not found|resource not found|.*matching (target )?resource method.*");
        }

        private static String firstText(JsonNode node, String... fields) {
            for (String f : fields) {
                JsonNode v = node.get(f);
                if (v != null && v.isValueNode() && !v.asText().isBlank()) {
                    return v.asText();
                }
            }
            return null;
        }
    }
}
