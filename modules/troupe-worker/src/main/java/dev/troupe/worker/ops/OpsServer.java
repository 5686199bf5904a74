package dev.troupe.worker.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.BooleanSupplier;

/**
 * The worker's operations endpoint: {@code /metrics} (Prometheus text), {@code /health/live} and
 * {@code /health/ready} (ready = partitions assigned, the poll loop running and a group heartbeat in the last 10 s).
 */
public final class OpsServer {

    private final HttpServer server;

    private OpsServer(HttpServer server) {
        this.server = server;
    }

    public static Future<OpsServer> start(Vertx vertx, String host, int port, PrometheusMeterRegistry registry,
                                          BooleanSupplier live, BooleanSupplier ready) {
        return vertx.createHttpServer()
                .requestHandler(request -> handle(request, registry, live, ready))
                .listen(port, host)
                .map(OpsServer::new);
    }

    private static void handle(HttpServerRequest request, PrometheusMeterRegistry registry, BooleanSupplier live,
                               BooleanSupplier ready) {
        switch (request.path()) {
            case "/metrics" -> request.response()
                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(registry.scrape());
            case "/health/live" -> health(request, live.getAsBoolean());
            case "/health/ready" -> health(request, ready.getAsBoolean());
            default -> request.response().setStatusCode(404).end("not found: try /metrics, /health/live, /health/ready\n");
        }
    }

    private static void health(HttpServerRequest request, boolean up) {
        request.response().setStatusCode(up ? 200 : 503)
                .putHeader("Content-Type", "application/json")
                .end(up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
    }

    public int port() {
        return server.actualPort();
    }

    public Future<Void> close() {
        return server.close();
    }
}
