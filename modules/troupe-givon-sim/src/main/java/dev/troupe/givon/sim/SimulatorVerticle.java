package dev.troupe.givon.sim;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/** Owns the simulator's HTTP server: listens on deploy, closes (dropping open requests) on undeploy. */
final class SimulatorVerticle extends VerticleBase {

    private final SimulatorConfig config;
    private final Handler<HttpServerRequest> api;
    private HttpServer server;

    SimulatorVerticle(SimulatorConfig config, Handler<HttpServerRequest> api) {
        this.config = config;
        this.api = api;
    }

    @Override
    public Future<?> start() {
        server = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port()));
        return server.requestHandler(api).listen();
    }

    @Override
    public Future<?> stop() {
        // close() has no grace period: requests left unanswered on purpose must not hold up shutdown.
        return server.close();
    }

    int port() {
        return server.actualPort();
    }
}
