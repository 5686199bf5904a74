package dev.troupe.givon.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A real HTTP client for the simulator over loopback, with blocking helpers for the test thread. */
final class SimHttp {

    static final String KEY = SimulatorConfig.DEFAULT_API_KEY;

    /** A valid Kling 3.0 Motion request: 3 s by default, so it costs 21 tokens. */
    static final String VALID_BODY = """
            {"type":"video","model":"kling-3.0-motion",
             "input":{"prompt":"a robot dances the cha-cha","referencePhoto":"asset://asset_photo1",
                      "motionVideo":"asset://asset_chacha"}}""";

    private final WebClient client;

    SimHttp(Vertx vertx) {
        this(vertx, 8);
    }

    SimHttp(Vertx vertx, int connections) {
        client = WebClient.create(vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(connections));
    }

    Future<HttpResponse<Buffer>> submit(GivonSimulator sim, String key, String body, String idempotencyKey) {
        return submitRequest(sim, key, idempotencyKey).sendBuffer(Buffer.buffer(body));
    }

    HttpRequest<Buffer> submitRequest(GivonSimulator sim, String key, String idempotencyKey) {
        HttpRequest<Buffer> request = client.postAbs(sim.baseUrl() + "/api/v1/generations")
                .putHeader("Content-Type", "application/json");
        if (key != null) {
            request.bearerTokenAuthentication(key);
        }
        if (idempotencyKey != null) {
            request.putHeader("Idempotency-Key", idempotencyKey);
        }
        return request;
    }

    HttpResponse<Buffer> post(GivonSimulator sim, String body) {
        return await(submit(sim, KEY, body, null));
    }

    HttpResponse<Buffer> post(GivonSimulator sim, String key, String body, String idempotencyKey) {
        return await(submit(sim, key, body, idempotencyKey));
    }

    HttpResponse<Buffer> get(GivonSimulator sim, String key, String path) {
        HttpRequest<Buffer> request = client.getAbs(sim.baseUrl() + path);
        if (key != null) {
            request.bearerTokenAuthentication(key);
        }
        return await(request.send());
    }

    HttpResponse<Buffer> generation(GivonSimulator sim, String id) {
        return get(sim, KEY, "/api/v1/generations/" + id);
    }

    HttpResponse<Buffer> getAbs(String url) {
        return await(client.getAbs(url).send());
    }

    /** The future's result; its failure as an unchecked exception; an AssertionError after 20 s. */
    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no answer within 20 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The generation id wherever the dialect put it: {@code id}, {@code generationId} or {@code data.id}. */
    static String idOf(JsonObject body) {
        if (body.containsKey("id")) {
            return body.getString("id");
        }
        if (body.containsKey("generationId")) {
            return body.getString("generationId");
        }
        JsonObject data = body.getJsonObject("data");
        return data == null ? null : data.getString("id");
    }

    static String bodyWithInput(String inputJson) {
        return "{\"type\":\"video\",\"model\":\"kling-3.0-motion\",\"input\":" + inputJson + "}";
    }
}
