package dev.troupe.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.cli.CliContext;
import dev.troupe.cli.CliFailure;
import dev.troupe.cli.CommonOptions;
import dev.troupe.cli.DurationSecondsConverter;
import dev.troupe.cli.ExitCodes;
import dev.troupe.cli.config.TroupeConfig;
import dev.troupe.cli.view.Numbers;
import dev.troupe.cli.view.UnknownFieldWarnings;
import dev.troupe.client.JobSubmitter;
import dev.troupe.client.SentJob;
import dev.troupe.client.manifest.JobIds;
import dev.troupe.model.JobCodec;
import dev.troupe.model.ModelCatalog;
import dev.troupe.model.MotionJob;
import dev.troupe.model.ParseErrorText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code troupe submit}: one job from flags or a JSON file, validated before it is sent. */
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Validate one job and send it; prints its jobId.",
        description = {
            "The job comes from flags or a JSON file and is validated exactly as a worker reads it; an "
                    + "invalid job is not sent (exit 4) and every broken rule is listed.",
            "",
            "Without --job-id the id is derived from the job's content, so sending the same job twice does "
                    + "not pay for it twice."},
        footer = {"", "Examples:",
            "  troupe submit --prompt \"Ada dances salsa\" --reference-photo https://cdn.example.com/ada.png \\",
            "                --motion-video https://cdn.example.com/salsa.mp4 --duration 5",
            "  troupe submit --file job.json"})
public final class SubmitCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Sorted keys at every level, so a derived id does not depend on field order. */
    private static final ObjectMapper CANONICAL = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--file", paramLabel = "JOB.json",
            description = "A troupe.motion-job/v1 JSON object; schema and jobId may be left out. Flags below then override its fields.")
    Path file;

    @Option(names = "--job-id", paramLabel = "ID", description = "The jobId ([A-Za-z0-9._:-], at most 128). Default: derived from the content.")
    String jobId;

    @Option(names = "--batch", paramLabel = "ID", description = "The batchId, for watching and exporting together.")
    String batchId;

    @Option(names = "--tenant", paramLabel = "NAME", description = "The budget the job is charged to (default: the shared default budget).")
    String tenant;

    @Option(names = "--priority", paramLabel = "N", description = "-1000..1000 (default 0); carried with the job, not yet used by workers to order work.")
    Integer priority;

    @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "Metadata echoed into the result; repeatable.")
    Map<String, String> metadata;

    @Option(names = "--not-after", paramLabel = "INSTANT", description = "Do not start after this ISO-8601 instant (EXPIRED instead).")
    String notAfter;

    @Option(names = "--model", paramLabel = "ID", description = "Catalog model (default " + ModelCatalog.DEFAULT_MODEL + ").")
    String model;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "What to render, at most 2,500 characters.")
    String prompt;

    @Option(names = "--reference-photo", paramLabel = "URI", description = "The character: https://, asset:// or data:image/ URI.")
    String referencePhoto;

    @Option(names = "--motion-video", paramLabel = "URI", description = "The motion: https://, asset:// or data:video/ URI.")
    String motionVideo;

    @Option(names = "--duration", paramLabel = "SECONDS", converter = DurationSecondsConverter.class,
            description = "Output length, whole seconds 3..15 (default 3); costs 7 tokens/s.")
    Long duration;

    @Option(names = "--aspect-ratio", paramLabel = "RATIO", description = "9:16 (default), 16:9, 1:1, 4:3 or 3:4.")
    String aspectRatio;

    @Option(names = "--audio", description = "Keep the motion video's own sound (default: off).")
    Boolean audio;

    @Option(names = "--dry-run", description = "Validate and print the job as it would be sent; send nothing.")
    boolean dryRun;

    public SubmitCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TroupeConfig config = common.load(context, err);
        JobCodec codec = new JobCodec(ModelCatalog.builtIn(), config.validation());
        ObjectNode job = jobJson();
        UnknownFieldWarnings.of(job, file == null ? "the job" : file.toString()).forEach(warning -> err.println("troupe submit: " + warning));
        MotionJob valid = JobSubmitter.validate(codec, JSON.writeValueAsBytes(job));
        String cost = Numbers.tokens(codec.catalog().require(valid.model()).cost(valid.input()));
        if (dryRun) {
            out.println(new String(codec.encode(valid), StandardCharsets.UTF_8));
            err.println("valid; estimated cost " + cost + " tokens; not sent (--dry-run)");
            return ExitCodes.OK;
        }
        config.kafka().awaitReachable();
        config.kafka().requireTopics(List.of(config.topics().jobs().name()));
        SentJob sent;
        try (JobSubmitter submitter = JobSubmitter.create(config.kafka(), config.topics().jobs().name(), codec)) {
            sent = submitter.submit(valid);
        }
        out.println(sent.jobId());
        err.println("sent to " + sent.topic() + " (partition " + sent.partition() + ", offset " + sent.offset()
                + "); estimated cost " + cost + " tokens");
        return ExitCodes.OK;
    }

    private ObjectNode jobJson() throws IOException {
        ObjectNode job;
        if (file != null) {
            JsonNode read;
            try {
                read = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new CliFailure(ExitCodes.INVALID_INPUT, file + " is not valid JSON: " + ParseErrorText.of(e));
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new CliFailure(ExitCodes.INVALID_INPUT, file + " is not UTF-8 text");
            } catch (IOException e) {
                throw new CliFailure(ExitCodes.INVALID_INPUT, "cannot read " + file + ": " + e.getMessage());
            }
            if (read == null || !read.isObject()) {
                throw new CliFailure(ExitCodes.INVALID_INPUT, file + " must hold one JSON object (a troupe.motion-job/v1 job)");
            }
            job = (ObjectNode) read;
        } else {
            if (prompt == null && referencePhoto == null && motionVideo == null) {
                throw new CliFailure(ExitCodes.USAGE, "give the job with --file JOB.json, or with --prompt, --reference-photo"
                        + " and --motion-video (see troupe submit --help)");
            }
            job = JSON.createObjectNode();
        }
        job.put("schema", MotionJob.SCHEMA);
        putText(job, "batchId", batchId);
        putText(job, "tenant", tenant);
        if (priority != null) {
            job.put("priority", priority);
        }
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = job.has("metadata") && job.get("metadata").isObject() ? (ObjectNode) job.get("metadata")
                    : job.putObject("metadata");
            metadata.forEach(meta::put);
        }
        putText(job, "notAfter", notAfter);
        putText(job, "model", model);
        ObjectNode input = job.has("input") && job.get("input").isObject() ? (ObjectNode) job.get("input") : job.putObject("input");
        putText(input, "prompt", prompt);
        putText(input, "referencePhoto", referencePhoto);
        putText(input, "motionVideo", motionVideo);
        putText(input, "aspectRatio", aspectRatio);
        if (duration != null) {
            input.put("duration", duration);
        }
        if (audio != null) {
            input.put("audioEnabled", audio);
        }
        if (jobId != null) {
            job.put("jobId", jobId);
        } else if (!job.hasNonNull("jobId")) {
            job.put("jobId", derivedId(job));
        }
        return job;
    }

    /** {@code job-} and a hash of the job without its id: the same job always gets the same id. */
    static String derivedId(ObjectNode job) {
        ObjectNode content = job.deepCopy();
        content.remove("jobId");
        try {
            Object canonical = JSON.treeToValue(content, Object.class);
            return JobIds.join(List.of("job", JobIds.hash(CANONICAL.writeValueAsString(canonical))));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a job as JSON", e);
        }
    }

    private static void putText(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
