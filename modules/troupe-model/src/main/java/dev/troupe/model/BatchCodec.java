package dev.troupe.model;

import static dev.troupe.model.RecordFields.instant;
import static dev.troupe.model.RecordFields.oneOf;
import static dev.troupe.model.RecordFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.model.RecordFields.Refused;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The JSON (UTF-8) wire form of the two records on {@code troupe.batches} (key = batchId), told apart by
 * their {@code schema}: a {@link BatchDescriptor}
 * {@code {"schema":"troupe.batch/v1","batchId","tenant","jobs","estimatedTokens","createdAt"}} and a
 * {@link BatchCompletion} {@code {"schema":"troupe.batch-completion/v1","batchId","tenant","jobs","counts",
 * "costTokens","completedAt","unsuccessful":[{"jobId","run","status","code","message"}],"unlisted"}}.
 * Thread-safe; {@link #decode} never throws.
 */
public final class BatchCodec {

    /** A completion lists at most 100 jobs of at most ~1.5 KB each; a descriptor is a few hundred bytes. */
    public static final int MAX_RECORD_BYTES = 256 * 1024;

    public sealed interface Decoded {}

    public record Descriptor(BatchDescriptor descriptor) implements Decoded {}

    public record Completion(BatchCompletion completion) implements Decoded {}

    /** Neither: the field at fault and why, bounded, on one line. */
    public record Unreadable(String field, String reason) implements Decoded {
        public Unreadable {
            field = Texts.clip(field, 200);
            reason = Violation.display(Texts.clip(reason, 600));
        }
    }

    /** @throws IllegalArgumentException naming the field and the rule the descriptor breaks */
    public byte[] encode(BatchDescriptor descriptor) {
        Objects.requireNonNull(descriptor, "descriptor");
        checkIds(descriptor.batchId(), descriptor.tenant(), "batch descriptor");
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("schema", BatchDescriptor.SCHEMA);
        root.put("batchId", descriptor.batchId());
        if (descriptor.tenant() != null) {
            root.put("tenant", descriptor.tenant());
        }
        root.put("jobs", descriptor.jobs());
        root.put("estimatedTokens", descriptor.estimatedTokens().toString());
        root.put("createdAt", descriptor.createdAt().toString());
        return JobCodec.bytes(root);
    }

    /** @throws IllegalArgumentException naming the field and the rule the completion breaks */
    public byte[] encode(BatchCompletion completion) {
        Objects.requireNonNull(completion, "completion");
        checkIds(completion.batchId(), completion.tenant(), "batch completion");
        for (BatchCompletion.Unsuccessful job : completion.unsuccessful()) {
            if (!JobReader.ID.matcher(job.jobId()).matches()) {
                throw new IllegalArgumentException("batch completion " + completion.batchId() + " cannot be written: unsuccessful.jobId "
                        + JournalReader.quoted(Texts.clip(job.jobId(), 40)) + " is not 1 to " + JobReader.MAX_ID + " of A-Z a-z 0-9 . _ : -");
            }
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("schema", BatchCompletion.SCHEMA);
        root.put("batchId", completion.batchId());
        if (completion.tenant() != null) {
            root.put("tenant", completion.tenant());
        }
        root.put("jobs", completion.jobs());
        ObjectNode counts = root.putObject("counts");
        completion.counts().forEach((status, count) -> counts.put(status.name(), count));
        root.put("costTokens", completion.costTokens().toString());
        root.put("completedAt", completion.completedAt().toString());
        ArrayNode unsuccessful = root.putArray("unsuccessful");
        for (BatchCompletion.Unsuccessful job : completion.unsuccessful()) {
            ObjectNode item = unsuccessful.addObject();
            item.put("jobId", job.jobId());
            item.put("run", job.run());
            item.put("status", job.status().name());
            if (job.code() != null) {
                item.put("code", job.code());
            }
            if (job.message() != null) {
                item.put("message", job.message());
            }
        }
        root.put("unlisted", completion.unlisted());
        return JobCodec.bytes(root);
    }

    public Decoded decode(byte[] value) {
        try {
            JsonNode root = RecordFields.object(value, MAX_RECORD_BYTES, "a troupe.batches record");
            String schema = text(root, "schema", true);
            if (schema.equals(BatchDescriptor.SCHEMA)) {
                return new Descriptor(descriptor(root));
            }
            if (schema.equals(BatchCompletion.SCHEMA)) {
                return new Completion(completion(root));
            }
            throw new Refused("schema", "schema must be \"" + BatchDescriptor.SCHEMA + "\" or \"" + BatchCompletion.SCHEMA + "\", got "
                    + JournalReader.quoted(Texts.clip(schema, 40)));
        } catch (Refused e) {
            return new Unreadable(e.field, e.getMessage());
        } catch (IllegalArgumentException e) {
            return new Unreadable("", e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            return new Unreadable("", "the record could not be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static BatchDescriptor descriptor(JsonNode root) {
        String batchId = id(root, "batchId", JobReader.ID, JobReader.MAX_ID, true);
        String tenant = id(root, "tenant", JobReader.TENANT, JobReader.MAX_TENANT, false);
        int jobs = RecordFields.integer(root, "jobs", 1, BatchDescriptor.MAX_JOBS);
        Tokens estimated = tokens(root, "estimatedTokens");
        return new BatchDescriptor(batchId, tenant, jobs, estimated, instant(root, "createdAt"));
    }

    private static BatchCompletion completion(JsonNode root) {
        String batchId = id(root, "batchId", JobReader.ID, JobReader.MAX_ID, true);
        String tenant = id(root, "tenant", JobReader.TENANT, JobReader.MAX_TENANT, false);
        int jobs = RecordFields.integer(root, "jobs", 1, BatchDescriptor.MAX_JOBS);
        JsonNode countsNode = root.get("counts");
        RecordFields.require(countsNode != null && countsNode.isObject(), "counts",
                "counts must be an object of a count per status, got " + Json.describe(countsNode));
        Map<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
        long sum = 0;
        for (JobStatus status : JobStatus.values()) {
            int count = RecordFields.integer(countsNode, status.name(), 0, BatchDescriptor.MAX_JOBS, "counts.");
            counts.put(status, count);
            sum += count;
        }
        RecordFields.require(sum == jobs, "counts", "counts add up to " + sum + ", not to jobs (" + jobs + ")");
        Tokens cost = tokens(root, "costTokens");
        Instant completedAt = instant(root, "completedAt");
        JsonNode list = root.get("unsuccessful");
        RecordFields.require(list != null && list.isArray(), "unsuccessful", "unsuccessful must be an array, got " + Json.describe(list));
        RecordFields.require(list.size() <= BatchCompletion.MAX_LISTED, "unsuccessful",
                "unsuccessful must list at most " + BatchCompletion.MAX_LISTED + " jobs, got " + list.size());
        List<BatchCompletion.Unsuccessful> unsuccessful = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            unsuccessful.add(unsuccessful(list.get(i), "unsuccessful[" + i + "]."));
        }
        int unlisted = RecordFields.integer(root, "unlisted", 0, BatchDescriptor.MAX_JOBS);
        long failed = jobs - (long) counts.get(JobStatus.SUCCEEDED);
        RecordFields.require(unsuccessful.size() + (long) unlisted == failed, "unlisted", "unsuccessful (" + unsuccessful.size()
                + ") and unlisted (" + unlisted + ") must add up to the " + failed + " jobs that did not succeed");
        return new BatchCompletion(batchId, tenant, jobs, counts, cost, completedAt, unsuccessful, unlisted);
    }

    private static BatchCompletion.Unsuccessful unsuccessful(JsonNode item, String at) {
        RecordFields.require(item.isObject(), at.substring(0, at.length() - 1), at.substring(0, at.length() - 1)
                + " must be an object, got " + Json.describe(item));
        String jobId = prefixed(at, () -> id(item, "jobId", JobReader.ID, JobReader.MAX_ID, true));
        int run = RecordFields.integer(item, "run", MotionJob.FIRST_RUN, MotionJob.MAX_RUN, at);
        JobStatus status = prefixed(at, () -> oneOf(JobStatus.class, item, "status"));
        RecordFields.require(status != JobStatus.SUCCEEDED, at + "status", at + "status must not be SUCCEEDED: a succeeded job is not listed");
        String code = prefixed(at, () -> bounded(item, "code", BatchCompletion.MAX_CODE));
        String message = prefixed(at, () -> bounded(item, "message", BatchCompletion.MAX_MESSAGE));
        return new BatchCompletion.Unsuccessful(jobId, run, status, code, message);
    }

    /** A refusal inside a listed job names its place: {@code unsuccessful[3].status}. */
    private static <T> T prefixed(String at, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (Refused e) {
            throw new Refused(at + e.field, at + e.getMessage());
        }
    }

    private static String bounded(JsonNode root, String field, int max) {
        String value = text(root, field, false);
        if (value != null) {
            int length = Json.codePoints(value);
            RecordFields.require(length >= 1 && length <= max, field, field + " must be 1 to " + max + " characters, got " + length);
        }
        return value;
    }

    private static String id(JsonNode root, String field, Pattern pattern, int max, boolean required) {
        String value = text(root, field, required);
        if (value != null && !pattern.matcher(value).matches()) {
            throw new Refused(field, field + " must be 1 to " + max + " characters of A-Z a-z 0-9 . _ : -, got "
                    + JournalReader.quoted(Texts.clip(value, 40)));
        }
        return value;
    }

    private static Tokens tokens(JsonNode root, String field) {
        String text = text(root, field, true);
        try {
            Tokens tokens = Tokens.parse(text);
            RecordFields.require(!tokens.isNegative(), field, field + " must not be negative, got " + JournalReader.quoted(Texts.clip(text, 40)));
            return tokens;
        } catch (IllegalArgumentException e) {
            throw new Refused(field, field + ": " + e.getMessage());
        }
    }

    private static void checkIds(String batchId, String tenant, String what) {
        if (!JobReader.ID.matcher(batchId).matches()) {
            throw new IllegalArgumentException(what + " cannot be written: batchId " + JournalReader.quoted(Texts.clip(batchId, 40))
                    + " is not 1 to " + JobReader.MAX_ID + " of A-Z a-z 0-9 . _ : -");
        }
        if (tenant != null && !JobReader.TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException(what + " " + batchId + " cannot be written: tenant " + JournalReader.quoted(Texts.clip(tenant, 40))
                    + " is not 1 to " + JobReader.MAX_TENANT + " of A-Z a-z 0-9 . _ : -");
        }
    }
}
