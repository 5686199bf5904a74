package dev.troupe.model;

import static dev.troupe.model.JsonOut.stringIfPresent;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code troupe.job-result/v1} wire form of a {@link JobResult}: nulls omitted, tokens as an exact
 * decimal string, instants as ISO-8601 strings, unknown fields tolerated on read.
 */
final class ResultJson {

    private ResultJson() {
    }

    static void write(JsonGenerator out, JobResult result) throws IOException {
        out.writeStartObject();
        out.writeStringField("schema", JobResult.SCHEMA);
        out.writeStringField("jobId", result.jobId());
        out.writeNumberField("run", result.run());
        stringIfPresent(out, "batchId", result.batchId());
        stringIfPresent(out, "tenant", result.tenant());
        out.writeStringField("status", result.status().name());
        stringIfPresent(out, "generationId", result.generationId());
        stringIfPresent(out, "videoUrl", result.videoUrl());
        out.writeStringField("costTokens", result.costTokens().toString());
        out.writeNumberField("attempts", result.attempts());
        if (result.error() != null) {
            out.writeFieldName("error");
            error(out, result.error());
        }
        JobResult.Timings timings = result.timings();
        if (!timings.equals(JobResult.Timings.NONE)) {
            out.writeObjectFieldStart("timings");
            stringIfPresent(out, "enqueuedAt", timings.enqueuedAt());
            stringIfPresent(out, "startedAt", timings.startedAt());
            stringIfPresent(out, "submittedAt", timings.submittedAt());
            stringIfPresent(out, "completedAt", timings.completedAt());
            out.writeEndObject();
        }
        strings(out, "metadata", result.metadata());
        stringIfPresent(out, "worker", result.worker());
        JobResult.CancelRequest cancel = result.cancelRequested();
        if (cancel != null) {
            out.writeObjectFieldStart("cancelRequested");
            out.writeStringField("target", cancel.target());
            out.writeStringField("at", cancel.at().toString());
            stringIfPresent(out, "reason", cancel.reason());
            out.writeEndObject();
        }
        out.writeEndObject();
    }

    private static void error(JsonGenerator out, JobResult.Error error) throws IOException {
        out.writeStartObject();
        out.writeStringField("code", error.code());
        stringIfPresent(out, "message", error.message());
        out.writeBooleanField("retryable", error.retryable());
        if (!error.violations().isEmpty()) {
            out.writeArrayFieldStart("violations");
            for (Violation violation : error.violations()) {
                out.writeStartObject();
                stringIfPresent(out, "path", violation.path());
                stringIfPresent(out, "rule", violation.rule());
                stringIfPresent(out, "value", violation.value());
                stringIfPresent(out, "message", violation.message());
                out.writeEndObject();
            }
            out.writeEndArray();
        }
        out.writeEndObject();
    }

    /** A string map as an object of strings (metadata), in its iteration order. */
    static void strings(JsonGenerator out, String field, Map<String, String> values) throws IOException {
        out.writeObjectFieldStart(field);
        for (Map.Entry<String, String> e : values.entrySet()) {
            out.writeStringField(e.getKey(), e.getValue());
        }
        out.writeEndObject();
    }

    /** @throws IllegalArgumentException naming the first field that is missing or of the wrong type */
    static JobResult read(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a job result must be a JSON object, got " + Json.describe(root));
        }
        String schema = text(root, "schema", true);
        if (!JobResult.SCHEMA.equals(schema)) {
            throw new IllegalArgumentException("job result schema must be \"" + JobResult.SCHEMA + "\", got \"" + schema + "\"");
        }
        String jobId = text(root, "jobId", true);
        String cost = text(root, "costTokens", false);
        return new JobResult(
                jobId,
                text(root, "batchId", false),
                text(root, "tenant", false),
                status(text(root, "status", true), jobId),
                text(root, "generationId", false),
                text(root, "videoUrl", false),
                cost == null ? Tokens.ZERO : Tokens.parse(cost),
                attempts(root.get("attempts")),
                readError(root.get("error")),
                timings(root.get("timings")),
                strings(root.get("metadata"), "metadata"),
                run(root.get("run")),
                worker(text(root, "worker", false)),
                cancelRequested(root.get("cancelRequested")));
    }

    private static JobResult.CancelRequest cancelRequested(JsonNode node) {
        if (Json.absent(node)) {
            return null;
        }
        requireObject(node, "cancelRequested");
        String target = text(node, "target", false);
        Instant at = instant(node, "cancelRequested", "at");
        if (target == null || at == null) {
            throw new IllegalArgumentException("job result cancelRequested must have a target and an at");
        }
        return new JobResult.CancelRequest(target, at, text(node, "reason", false));
    }

    private static String worker(String worker) {
        if (worker != null && !JobResult.WORKER.matcher(worker).matches()) {
            throw new IllegalArgumentException("job result worker must be 1 to " + JobResult.MAX_WORKER_CHARS
                    + " of A-Z a-z 0-9 . _ : -, got \"" + Texts.clip(worker, 40) + "\"");
        }
        return worker;
    }

    private static int run(JsonNode node) {
        if (Json.absent(node)) {
            return MotionJob.FIRST_RUN;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < MotionJob.FIRST_RUN
                || node.intValue() > MotionJob.MAX_RUN) {
            throw new IllegalArgumentException("job result run must be a whole number from " + MotionJob.FIRST_RUN + " to "
                    + MotionJob.MAX_RUN + ", got " + Json.describe(node));
        }
        return node.intValue();
    }

    private static JobStatus status(String status, String jobId) {
        try {
            return JobStatus.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("job result " + jobId + ": status must be one of "
                    + Arrays.toString(JobStatus.values()) + ", got \"" + status + "\"", e);
        }
    }

    private static int attempts(JsonNode node) {
        if (Json.absent(node)) {
            return 0;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new IllegalArgumentException("job result attempts must be an integer, got " + Json.describe(node));
        }
        return node.intValue();
    }

    private static JobResult.Error readError(JsonNode node) {
        if (Json.absent(node)) {
            return null;
        }
        requireObject(node, "error");
        boolean retryable = false;
        JsonNode flag = node.get("retryable");
        if (!Json.absent(flag)) {
            if (!flag.isBoolean()) {
                throw new IllegalArgumentException("job result error.retryable must be a boolean, got " + Json.describe(flag));
            }
            retryable = flag.booleanValue();
        }
        List<Violation> violations = new ArrayList<>();
        JsonNode list = node.get("violations");
        if (!Json.absent(list)) {
            if (!list.isArray()) {
                throw new IllegalArgumentException("job result error.violations must be an array, got " + Json.describe(list));
            }
            for (JsonNode item : list) {
                requireObject(item, "error.violations[]");
                violations.add(new Violation(text(item, "path", false), text(item, "rule", false),
                        text(item, "value", false), text(item, "message", false)));
            }
        }
        return new JobResult.Error(text(node, "code", true), text(node, "message", false), retryable, violations);
    }

    private static JobResult.Timings timings(JsonNode node) {
        if (Json.absent(node)) {
            return JobResult.Timings.NONE;
        }
        requireObject(node, "timings");
        return new JobResult.Timings(instant(node, "timings", "enqueuedAt"), instant(node, "timings", "startedAt"),
                instant(node, "timings", "submittedAt"), instant(node, "timings", "completedAt"));
    }

    private static Instant instant(JsonNode parent, String object, String field) {
        String text = text(parent, field, false);
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("job result " + object + "." + field + " must be an ISO-8601 instant, got \""
                    + Texts.clip(text, 40) + "\"", e);
        }
    }

    private static Map<String, String> strings(JsonNode node, String field) {
        if (Json.absent(node)) {
            return Map.of();
        }
        requireObject(node, field);
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new IllegalArgumentException("job result " + field + "." + entry.getKey() + " must be a string, got "
                        + Json.describe(entry.getValue()));
            }
            map.put(entry.getKey(), entry.getValue().textValue());
        }
        return map;
    }

    private static String text(JsonNode parent, String field, boolean required) {
        JsonNode node = parent.get(field);
        if (Json.absent(node)) {
            if (required) {
                throw new IllegalArgumentException("job result has no " + field);
            }
            return null;
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException("job result " + field + " must be a string, got " + Json.describe(node));
        }
        return node.textValue();
    }

    private static void requireObject(JsonNode node, String field) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("job result " + field + " must be an object, got " + Json.describe(node));
        }
    }
}
