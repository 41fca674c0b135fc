package dev.cutover.kit.trace;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Span export: with {@code cutover.tracing.endpoint} set (a Zipkin server's {@code /api/v2/spans}), every service's
 * spans go there in batches, off the handling threads, named by the service; unset, none leaves the process. The
 * OpenTelemetry SDK with its Zipkin exporter, because Quarkus's own OpenTelemetry extension is not served at our
 * Quarkus version here, and Zipkin is the tracing backend that runs from a jar.
 */
@ApplicationScoped
public class Tracing {

    static final String SCOPE = "dev.cutover";
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    private static final Logger LOG = Logger.getLogger(Tracing.class);

    @ConfigProperty(name = "cutover.tracing.endpoint")
    Optional<String> endpoint;

    @ConfigProperty(name = "quarkus.application.name")
    String service;

    private SdkTracerProvider provider;

    void start(@Observes StartupEvent started) {
        endpoint.filter(e -> !e.isBlank()).ifPresent(url -> {
            provider = SdkTracerProvider.builder()
                    .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, service))))
                    .addSpanProcessor(BatchSpanProcessor.builder(ZipkinSpanExporter.builder().setEndpoint(url).build()).build())
                    .build();
            TraceContext.use(provider.get(SCOPE));
            // The address only: a URL's user part or query may hold a secret.
            java.net.URI to = java.net.URI.create(url);
            LOG.infof("spans go to %s://%s:%d", to.getScheme(), to.getHost(), to.getPort());
        });
    }

    /** What is still batched is sent before the process ends. */
    void stop(@Observes ShutdownEvent stopping) {
        if (provider != null) {
            provider.shutdown().join(5, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
