package dev.troupe.model;

import com.fasterxml.jackson.core.JsonGenerator;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON (UTF-8) wire format of {@code troupe.jobs} and {@code troupe.results} records. Decoding a
 * job validates it completely against the catalog; see {@link DecodeResult}. Thread-safe.
 *
 * <p>Job: {@code {"schema":"troupe.motion-job/v1","jobId","batchId","tenant","priority","metadata",
 * "notAfter","model","input":{...}}}. Result: {@code {"schema":"troupe.job-result/v1","jobId",
 * "batchId","tenant","status","generationId","videoUrl","costTokens":"21","attempts","error",
 * "timings","metadata"}}. Nulls are omitted; unknown fields are tolerated on read (except inside
 * {@code input}, which Givon would receive).
 */
public final class JobCodec {

    /**
     * The top-level fields of a {@code troupe.motion-job/v1} job, in the order {@link #encode} writes them:
     * the fields the reader knows, the properties of {@code motion-job.schema.json} (tests keep the three
     * equal), and what {@link #unknownFields} compares a job with.
     */
    public static final List<String> FIELDS =
            List.of("schema", "jobId", "batchId", "tenant", "priority", "run", "metadata", "notAfter", "model", "input");

    /** Unknown fields {@link #unknownFields} returns; the rest are only counted ({@link #unknownFieldCount}). */
    public static final int MAX_UNKNOWN_FIELDS_LISTED = 5;

    private final ModelCatalog catalog;
    private final ValidationLimits limits;
    private final JobReader reader;

    public JobCodec(ModelCatalog catalog, ValidationLimits limits) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.reader = new JobReader(catalog, new InputValidator(limits));
    }

    /** The built-in catalog with {@link ValidationLimits#DEFAULTS}. */
    public static JobCodec defaults() {
        return new JobCodec(ModelCatalog.builtIn(), ValidationLimits.DEFAULTS);
    }

    public ModelCatalog catalog() {
        return catalog;
    }

    /**
     * Reads and validates one {@code troupe.jobs} record value. Never throws, whatever the bytes: a
     * record that cannot be read for any reason, including a bug here, is {@link DecodeResult.Unreadable}
     * with the reason, so one record can never stop the consumer that reads it.
     */
    public DecodeResult decode(byte[] recordValue) {
        try {
            return read(recordValue);
        } catch (RuntimeException | StackOverflowError e) {
            return new DecodeResult.Unreadable("the record could not be read (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + Texts.clip(e.getMessage(), MAX_REASON_CHARS)) + ")");
        }
    }

    private static final int MAX_REASON_CHARS = 300;

    private DecodeResult read(byte[] recordValue) {
        if (recordValue == null || recordValue.length == 0) {
            return new DecodeResult.Unreadable("the record is empty");
        }
        if (recordValue.length > limits.maxRecordBytes()) {
            return new DecodeResult.Invalid(JobReader.peekJobId(recordValue), List.of(Violation.of("", "max record size",
                    recordValue.length + " bytes", "the record has " + recordValue.length + " bytes, more than the "
                            + limits.maxRecordBytes() + " allowed; pass media as https:// URLs instead of data: URIs")));
        }
        String text;
        try {
            text = strictUtf8(recordValue);
        } catch (IllegalArgumentException e) {
            return new DecodeResult.Unreadable(e.getMessage());
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return new DecodeResult.Unreadable(notJson(e));
        }
        if (root == null || root.isMissingNode()) {
            return new DecodeResult.Unreadable("the record holds no JSON value");
        }
        if (!root.isObject()) {
            return new DecodeResult.Unreadable("the record is JSON " + Json.describe(root) + ", not an object");
        }
        return reader.read(root);
    }

    /** Jackson's reason, and where when it knows (a broken limit such as the nesting depth has no location). */
    static String notJson(JsonProcessingException e) {
        String reason = e instanceof StreamConstraintsException
                ? "exceeds a reading limit (nesting at most " + Json.MAX_NESTING_DEPTH + " levels, numbers at most "
                        + Json.MAX_NUMBER_LENGTH + " characters): " + ParseErrorText.of(e)
                : ParseErrorText.of(e);
        JsonLocation at = e.getLocation();
        return "not JSON: " + Texts.clip(reason, MAX_REASON_CHARS)
                + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
    }

    /** The wire form of a job; {@code decode(encode(job))} gives an equal job when the job is valid. */
    public byte[] encode(MotionJob job) {
        return JsonOut.bytes(out -> write(out, job));
    }

    /** The job as the JSON object {@link #encode} writes (the journal nests it in an entry). */
    static void write(JsonGenerator out, MotionJob job) throws IOException {
        out.writeStartObject();
        out.writeStringField("schema", MotionJob.SCHEMA);
        out.writeStringField("jobId", job.jobId());
        JsonOut.stringIfPresent(out, "batchId", job.batchId());
        JsonOut.stringIfPresent(out, "tenant", job.tenant());
        out.writeNumberField("priority", job.priority());
        if (job.run() != MotionJob.FIRST_RUN) {
            out.writeNumberField("run", job.run());
        }
        ResultJson.strings(out, "metadata", job.metadata());
        if (job.notAfter() != null) {
            out.writeStringField("notAfter", job.notAfter().toString());
        }
        out.writeStringField("model", job.model());
        out.writeObjectFieldStart("input");
        for (Map.Entry<String, Object> field : job.input().fields().entrySet()) {
            Object value = field.getValue();
            if (value instanceof String s) {
                out.writeStringField(field.getKey(), s);
            } else if (value instanceof Boolean b) {
                out.writeBooleanField(field.getKey(), b);
            } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                out.writeNumberField(field.getKey(), ((Number) value).longValue());
            } else if (value != null) {
                throw new IllegalArgumentException("job " + job.jobId() + ": input field '" + field.getKey()
                        + "' holds a " + value.getClass().getSimpleName() + "; only String, Long and Boolean are allowed");
            }
        }
        out.writeEndObject();
        out.writeEndObject();
    }

    /**
     * The first {@value #MAX_UNKNOWN_FIELDS_LISTED} top-level fields of {@code job} that are not in {@link #FIELDS},
     * each with the known field it most likely meant. The workers ignore such fields, so a misspelt
     * {@code "tennant"} would charge the job to the default budget: producers warn about them. Empty
     * when {@code job} is not an object.
     */
    public static List<UnknownField> unknownFields(JsonNode job) {
        List<UnknownField> unknown = new ArrayList<>();
        if (job == null || !job.isObject()) {
            return unknown;
        }
        for (Iterator<String> names = job.fieldNames(); names.hasNext() && unknown.size() < MAX_UNKNOWN_FIELDS_LISTED; ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                unknown.add(new UnknownField(name, NearestName.among(name, FIELDS)));
            }
        }
        return unknown;
    }

    /** How many top-level fields of {@code job} are not in {@link #FIELDS}. */
    public static int unknownFieldCount(JsonNode job) {
        int count = 0;
        if (job != null && job.isObject()) {
            for (Iterator<String> names = job.fieldNames(); names.hasNext(); ) {
                if (!FIELDS.contains(names.next())) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Validates a job object read from elsewhere (the journal) exactly as {@link #decode} validates a record. */
    DecodeResult readJob(JsonNode job) {
        return reader.read(job);
    }

    public byte[] encodeResult(JobResult result) {
        return JsonOut.bytes(out -> ResultJson.write(out, result));
    }

    /** @throws IllegalArgumentException when the bytes are not a {@code troupe.job-result/v1} object */
    public JobResult decodeResult(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("job result record is empty");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(strictUtf8(bytes));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("job result is not JSON: " + ParseErrorText.of(e), e);
        }
        return ResultJson.read(root);
    }

    /** @throws IllegalArgumentException naming the byte where the bytes stop being UTF-8 */
    static String strictUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new IllegalArgumentException("not UTF-8: invalid byte sequence at byte " + in.position());
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    static byte[] bytes(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise JSON", e);
        }
    }

}
