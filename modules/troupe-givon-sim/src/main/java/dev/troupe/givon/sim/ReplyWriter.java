package dev.troupe.givon.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.model.Violation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Words the simulator's answers. In the {@link Dialect#MIXED} dialect each answer draws its shape
 * from the simulator's seeded random, so clients meet every plausible spelling.
 */
final class ReplyWriter {

    private static final String JSON = "application/json";
    private static final List<String> RUNNING = List.of("queued", "processing", "IN_PROGRESS", "rendering");
    private static final List<String> SUCCESS = List.of("succeeded", "COMPLETED", "success", "done");
    private static final List<String> FAILURE = List.of("failed", "ERROR", "cancelled");
    private static final int[] CREATED_STATUSES = {200, 201, 202};
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    private final ObjectMapper json;
    private final Random random;

    ReplyWriter(ObjectMapper json, Random random) {
        this.json = json;
        this.random = random;
    }

    Reply created(Generation generation, Phase phase, boolean replay, Dialect dialect) {
        ObjectNode body = json.createObjectNode();
        int status = 201;
        switch (dialect) {
            case STANDARD -> {
                body.put("id", generation.id());
                body.put("status", standardStatus(phase));
            }
            case MIXED -> {
                status = CREATED_STATUSES[random.nextInt(CREATED_STATUSES.length)];
                putId(body, generation.id());
                // "dialect permitting": one answer in four carries no status at all.
                if (random.nextInt(4) != 0) {
                    body.put("status", mixedStatus(phase));
                }
            }
        }
        Map<String, String> headers = replay ? Map.of("Idempotent-Replayed", "true") : Map.of();
        return json(status, headers, body);
    }

    Reply generation(StatusOutcome.Found found, String videoUrl, Dialect dialect) {
        Generation generation = found.generation();
        Phase phase = found.phase();
        ObjectNode body = json.createObjectNode();
        switch (dialect) {
            case STANDARD -> body.put("id", generation.id());
            case MIXED -> putId(body, generation.id());
        }
        body.put("model", generation.model());
        String status = found.undocumentedStatus() != null ? found.undocumentedStatus() : switch (dialect) {
            case STANDARD -> standardStatus(phase);
            case MIXED -> mixedStatus(phase);
        };
        body.put("status", status);
        if (phase == Phase.SUCCEEDED) {
            putVideoUrl(body, videoUrl, dialect);
        }
        if (phase == Phase.FAILED) {
            body.putObject("error").put("message", generation.outcome().failureReason());
        }
        if (phase.terminal()) {
            body.put("cost", generation.finalCost().toString());
        }
        return json(200, Map.of(), body);
    }

    Reply error(int status, String code, String message) {
        return error(status, Map.of(), code, message);
    }

    private Reply error(int status, Map<String, String> headers, String code, String message) {
        ObjectNode body = json.createObjectNode();
        body.putObject("error").put("code", code).put("message", message);
        return json(status, headers, body);
    }

    Reply invalid(List<Violation> violations) {
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", "validation_error");
        error.put("message", "Invalid generation request: " + String.join("; ",
                violations.stream().map(Violation::toString).toList()));
        ArrayNode list = error.putArray("violations");
        for (Violation violation : violations) {
            list.addObject()
                    .put("path", violation.path())
                    .put("rule", violation.rule())
                    .put("value", violation.value())
                    .put("message", violation.message());
        }
        return json(422, Map.of(), body);
    }

    Reply throttled(SubmitOutcome.Throttled throttled) {
        ObjectNode body = json.createObjectNode();
        body.putObject("error").put("code", "rate_limited").put("message",
                "Too many active generations for this API key (limit " + throttled.cap() + "); retry later");
        return json(429, Map.of("Retry-After", retryAfter(throttled.retryAfter(), throttled.format())), body);
    }

    Reply serverFault(int status) {
        return serverFault(status, null, RetryAfterFormat.SECONDS);
    }

    /** A 5xx; with a {@code Retry-After} header when {@code retryAfter} is not null. */
    Reply serverFault(int status, Duration retryAfter, RetryAfterFormat format) {
        Map<String, String> headers = retryAfter == null ? Map.of() : Map.of("Retry-After", retryAfter(retryAfter, format));
        return switch (status) {
            // Gateways answer in HTML, not in the API's JSON: clients must not choke on it.
            case 502 -> new Reply(502, "text/html; charset=utf-8", headers,
                    "<html><body><h1>502 Bad Gateway</h1></body></html>".getBytes(StandardCharsets.UTF_8));
            case 503 -> error(503, headers, "service_unavailable", "Service temporarily unavailable, try again");
            default -> error(status, headers, "internal_error", "Internal server error");
        };
    }

    /** What a proxy in front of Givon answers when it has trouble of its own: a 200 with an HTML page. */
    Reply garbled() {
        return new Reply(200, "text/html; charset=utf-8", Map.of(), ("<!DOCTYPE html><html><head><title>Service"
                + " notice</title></head><body><h1>We'll be right back</h1><p>The gateway is warming up.</p></body></html>")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String retryAfter(Duration delay, RetryAfterFormat format) {
        return switch (format) {
            case SECONDS -> Long.toString(wholeSecondsUp(delay));
            case HTTP_DATE -> HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC).plus(delay));
        };
    }

    private static long wholeSecondsUp(Duration delay) {
        long seconds = delay.getSeconds();
        return delay.getNano() > 0 ? seconds + 1 : seconds;
    }

    private void putId(ObjectNode body, String id) {
        switch (random.nextInt(3)) {
            case 0 -> body.put("id", id);
            case 1 -> body.put("generationId", id);
            default -> body.putObject("data").put("id", id);
        }
    }

    private void putVideoUrl(ObjectNode body, String url, Dialect dialect) {
        int where = dialect == Dialect.STANDARD ? 0 : random.nextInt(4);
        switch (where) {
            case 0 -> body.putObject("output").put("url", url);
            case 1 -> body.put("videoUrl", url);
            case 2 -> body.putObject("output").put("videoUrl", url);
            default -> body.putObject("result").put("url", url);
        }
    }

    private static String standardStatus(Phase phase) {
        return switch (phase) {
            case QUEUED -> "queued";
            case PROCESSING -> "processing";
            case SUCCEEDED -> "succeeded";
            case FAILED -> "failed";
        };
    }

    private String mixedStatus(Phase phase) {
        List<String> spellings = switch (phase) {
            case QUEUED, PROCESSING -> RUNNING;
            case SUCCEEDED -> SUCCESS;
            case FAILED -> FAILURE;
        };
        return spellings.get(random.nextInt(spellings.size()));
    }

    private Reply json(int status, Map<String, String> headers, ObjectNode body) {
        try {
            return new Reply(status, JSON, headers, json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
