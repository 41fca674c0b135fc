package dev.cutover.orchestrator.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Tells an environment's notifiers of its migration's milestones. A milestone is written as one row per notifier in the
 * transaction of the change it announces, and delivered after it, apart from the migration: a dead or slow notifier
 * never holds a migration up. Each notifier gets a migration's milestones in order; a failed delivery is tried again
 * with a doubling back-off, and given up after {@code cutover.notify.attempts}.
 */
@ApplicationScoped
public class Notifications {

    private static final Logger LOG = Logger.getLogger(Notifications.class);
    private static final Duration BACKOFF_MAX = Duration.ofMinutes(5);

    @Inject
    ObjectMapper json;

    @Inject
    Seal seal;

    @Inject
    NotifySettings settings;

    /** The dashboard's address, for the link in every notification. */
    @ConfigProperty(name = "cutover.dashboard.url")
    String dashboardUrl;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * The notifiers Cutover can tell, sealed (they are kept so, and opened only to be sent to), and a sentence for each it
     * can't (a notifier is told nothing of its secrets).
     */
    public record Reachable(List<String> notifiers, List<String> skipped) {
    }

    public Reachable reachable(List<String> notifiers) {
        List<String> told = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String n : notifiers) {
            if (n.startsWith("http://") || n.startsWith("https://") || n.startsWith("mailto:") && settings.mailBridge().isPresent()) {
                told.add(seal.seal(n));
            } else {
                skipped.add(redacted(n) + (n.startsWith("mailto:") ? ": no mail bridge is configured (cutover.notify.mail-bridge)"
                        : ": only http(s) webhooks and mailto addresses can be told"));
            }
        }
        return new Reachable(told, skipped);
    }

    /** In the caller's transaction: the milestone, for each notifier; {@code facts} are the notification's fields. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void announce(UUID migrationId, List<String> notifiers, String milestone, Map<String, Object> facts) {
        if (notifiers == null || notifiers.isEmpty()) {
            return;
        }
        OffsetDateTime now = now();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("milestone", milestone);
        body.put("migrationId", migrationId.toString());
        body.putAll(facts);
        body.put("at", now.toString());
        body.put("dashboard", dashboardUrl + "#" + migrationId);
        for (String notifier : notifiers) {
            Notification n = new Notification();
            n.migrationId = migrationId;
            n.notifier = notifier;
            n.milestone = milestone;
            n.body = body;
            n.createdAt = now;
            n.nextAt = now;
            n.persist();
        }
    }

    /** Claims what is due (each notifier's oldest undelivered milestone of a migration) and sends it, without waiting. */
    @Scheduled(every = "${cutover.notify.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void deliverDue() {
        for (Notification n : QuarkusTransaction.requiringNew().call(this::claim)) {
            send(n);
        }
    }

    /** Leases the due rows for longer than a delivery takes, so no other pass (or instance) sends them meanwhile. */
    private List<Notification> claim() {
        @SuppressWarnings("unchecked")
        List<Number> ids = Notification.getEntityManager().createNativeQuery("""
                        update notification set next_at = :lease where id in (
                          select n.id from notification n
                          where n.delivered_at is null and n.gave_up_at is null and n.next_at <= :now
                            and not exists (select 1 from notification o where o.migration_id = n.migration_id
                              and o.notifier = n.notifier and o.id < n.id and o.delivered_at is null and o.gave_up_at is null)
                          order by n.id limit 50 for update skip locked)
                        returning id""")
                .setParameter("now", now()).setParameter("lease", now().plus(settings.timeout()).plusSeconds(10)).getResultList();
        return ids.isEmpty() ? List.of() : Notification.list("id in ?1", ids.stream().map(Number::longValue).toList());
    }

    private void send(Notification n) {
        HttpRequest request;
        try {
            request = request(n);
        } catch (RuntimeException e) {
            record(n.id, "cannot be sent: " + e.getMessage());
            return;
        }
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((answer, error) -> record(n.id,
                error != null ? String.valueOf(error.getCause() != null ? error.getCause() : error)
                        : answer.statusCode() / 100 == 2 ? null : "answered HTTP " + answer.statusCode()));
    }

    private HttpRequest request(Notification n) {
        Object payload = n.body;
        String notifier = seal.open(n.notifier);
        URI to = URI.create(notifier);
        if (notifier.startsWith("mailto:")) {
            payload = Map.of("to", notifier.substring("mailto:".length()),
                    "subject", "Cutover: migration of " + n.body.get("environment") + " " + n.milestone,
                    "text", n.body.get("environment") + " -> " + n.body.get("targetEnvironment") + ": " + n.milestone
                            + (n.body.get("reason") == null ? "" : " (" + n.body.get("reason") + ")") + "\n" + n.body.get("dashboard"),
                    "notification", n.body);
            to = settings.mailBridge().orElseThrow(() -> new IllegalStateException("no mail bridge is configured"));
        }
        try {
            return HttpRequest.newBuilder(to).timeout(settings.timeout()).header("Content-Type", "application/json")
                    .header("User-Agent", "cutover").POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(payload))).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The outcome of one delivery ({@code error} null when it was taken). */
    private void record(long id, String error) {
        QuarkusTransaction.requiringNew().run(() -> {
            Notification n = Notification.findById(id);
            n.attempts++;
            if (error == null) {
                n.deliveredAt = now();
                n.lastError = null;
            } else if (n.attempts >= settings.attempts()) {
                n.gaveUpAt = now();
                n.lastError = error;
                LOG.warnf("notifier %s was not told that migration %s is %s, after %d attempts: %s", redacted(seal.open(n.notifier)),
                        n.migrationId, n.milestone, n.attempts, error);
            } else {
                Duration delay = settings.backoff().multipliedBy(1L << Math.min(n.attempts - 1, 20));
                n.nextAt = now().plus(delay.compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : delay);
                n.lastError = error;
            }
        });
    }

    /** A notifier as it may be shown: a webhook's path and query often hold its secret. */
    public static String redacted(String notifier) {
        if (notifier.startsWith("mailto:")) {
            return notifier;
        }
        try {
            URI uri = URI.create(notifier);
            return uri.getScheme() + "://" + uri.getAuthority().replaceAll("^.*@", "") + "/…";
        } catch (RuntimeException e) {
            return notifier.replaceAll(":.*", ":…");
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
