package dev.troupe.cli.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.client.status.JobStory;
import dev.troupe.model.JobResult;
import dev.troupe.model.JournalEntry;
import dev.troupe.model.MotionJob;
import dev.troupe.model.ProgressCodec;
import dev.troupe.model.ProgressEvent;
import dev.troupe.model.Texts;
import dev.troupe.model.Tokens;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code troupe status JOBID --format json}: one document on one line, schema {@value #SCHEMA}
 * ({@code job-status.schema.json}). Every field is always written, null when unknown; tokens are exact
 * JSON numbers, times ISO-8601 UTC. Texts from records are clipped to {@value #TEXT_CHARS} characters
 * (JSON escapes the rest).
 */
public final class StatusJson {

    public static final String SCHEMA = "troupe.job-status/v1";
    static final int TEXT_CHARS = 2_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ProgressCodec PROGRESS = new ProgressCodec();

    private StatusJson() {
    }

    public static String render(JobStory story) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("jobId", story.jobId());
        root.put("readAt", story.readAt().toString());
        ObjectNode topics = root.putObject("topics");
        where(topics, "jobs", story.jobs());
        where(topics, "results", story.results());
        where(topics, "state", story.state());
        root.put("stateNote", story.stateNote());
        root.put("progressNote", story.progressNote());
        job(root, story.job(), story.estimate());
        Optional<JobStory.Run> outcome = story.outcome();
        if (outcome.isEmpty()) {
            root.putNull("outcome");
        } else {
            ObjectNode node = root.putObject("outcome");
            node.put("run", outcome.get().run());
            node.put("status", outcome.get().result().result().status().name());
        }
        root.put("unreadableRecords", story.unreadable());
        root.put("runsLeftOut", story.runsLeftOut());
        ArrayNode runs = root.putArray("runs");
        for (JobStory.Run run : story.runs()) {
            ObjectNode node = runs.addObject();
            node.put("run", run.run());
            node.put("outcome", outcome.isPresent() && outcome.get() == run);
            ArrayNode sent = node.putArray("sent");
            for (JobStory.Sent record : run.sent()) {
                sent.addObject().put("offset", record.offset()).put("at", record.at().toString()).put("valid", record.valid())
                        .put("problem", text(record.problem()));
            }
            node.put("sentLeftOut", run.sentLeftOut());
            ArrayNode progress = node.putArray("progress");
            for (ProgressEvent event : run.progress()) {
                progress.add(event(event));
            }
            node.put("progressLeftOut", run.progressLeftOut());
            journal(node, run.journal());
            if (run.result() == null) {
                node.putNull("result");
            } else {
                result(node.putObject("result"), run.result(), null);
            }
            ArrayNode aside = node.putArray("setAside");
            for (JobStory.Placed placed : run.setAside()) {
                result(aside.addObject(), placed, run.result() != null && placed.result().repeats(run.result().result()));
            }
            node.put("setAsideLeftOut", run.setAsideLeftOut());
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a job status could not be written as JSON", e);
        }
    }

    private static void where(ObjectNode topics, String name, JobStory.Where where) {
        if (where == null) {
            topics.putNull(name);
        } else {
            topics.putObject(name).put("topic", where.topic()).put("partition", where.partition());
        }
    }

    private static void job(ObjectNode root, MotionJob job, Tokens estimate) {
        if (job == null) {
            root.putNull("job");
            return;
        }
        ObjectNode node = root.putObject("job");
        node.put("batchId", job.batchId());
        node.put("tenant", job.tenant());
        node.put("model", job.model());
        node.put("priority", job.priority());
        Optional<Long> duration = job.input().integer("duration");
        if (duration.isPresent()) {
            node.put("duration", duration.get());
        } else {
            node.putNull("duration");
        }
        node.put("aspectRatio", job.input().text("aspectRatio").orElse(null));
        node.put("estimatedTokens", number(estimate));
        ObjectNode metadata = node.putObject("metadata");
        job.metadata().forEach(metadata::put);
    }

    private static void journal(ObjectNode run, JournalEntry entry) {
        if (entry == null) {
            run.putNull("journal");
            return;
        }
        ObjectNode node = run.putObject("journal");
        node.put("kind", entry.kind().name());
        node.put("at", entry.at().toString());
        Integer attempt = null;
        String generationId = null;
        Instant submittedAt = null;
        Instant resumesAt = null;
        String status = null;
        Tokens cost = null;
        switch (entry.kind()) {
            case SUBMITTING -> attempt = ((JournalEntry.Submitting) entry).attempt();
            case ACCEPTED -> {
                JournalEntry.Accepted accepted = (JournalEntry.Accepted) entry;
                attempt = accepted.attempt();
                generationId = accepted.generationId();
                submittedAt = accepted.submittedAt();
            }
            case PARKED -> {
                JournalEntry.Parked parked = (JournalEntry.Parked) entry;
                resumesAt = parked.resumesAt();
                cost = parked.cost();
            }
            case FINISHED -> {
                JournalEntry.Finished finished = (JournalEntry.Finished) entry;
                attempt = finished.attempts();
                generationId = finished.generationId();
                status = finished.status().name();
                cost = finished.cost();
            }
        }
        node.put("attempt", attempt);
        node.put("generationId", text(generationId));
        node.put("submittedAt", instant(submittedAt));
        node.put("resumesAt", instant(resumesAt));
        node.put("status", status);
        node.put("costTokens", number(cost));
    }

    private static void result(ObjectNode node, JobStory.Placed placed, Boolean repeat) {
        JobResult r = placed.result();
        node.put("offset", placed.offset());
        node.put("status", r.status().name());
        node.put("costTokens", number(r.costTokens()));
        node.put("attempts", r.attempts());
        node.put("generationId", text(r.generationId()));
        node.put("videoUrl", text(r.videoUrl()));
        if (r.error() == null) {
            node.putNull("error");
        } else {
            node.putObject("error").put("code", r.error().code()).put("message", r.error().message())
                    .put("retryable", r.error().retryable());
        }
        JobResult.Timings t = r.timings();
        node.putObject("timings").put("enqueuedAt", instant(t.enqueuedAt())).put("startedAt", instant(t.startedAt()))
                .put("submittedAt", instant(t.submittedAt())).put("completedAt", instant(t.completedAt()));
        node.put("worker", r.worker());
        JobResult.CancelRequest cancel = r.cancelRequested();
        if (cancel == null) {
            node.putNull("cancelRequested");
        } else {
            node.putObject("cancelRequested").put("target", cancel.target()).put("at", instant(cancel.at()))
                    .put("reason", cancel.reason());
        }
        if (repeat != null) {
            node.put("repeat", repeat);
        }
    }

    /** An event as its codec writes it on troupe.progress (progress.schema.json): one shape wherever it is read. */
    private static JsonNode event(ProgressEvent event) {
        try {
            return JSON.readTree(PROGRESS.encode(event));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a progress event could not be read back as JSON", e);
        }
    }

    private static String text(String text) {
        return Texts.clip(text, TEXT_CHARS);
    }

    private static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /** {@code 100}, not {@code 1E+2}: exact, and plain; null stays null. */
    private static BigDecimal number(Tokens tokens) {
        if (tokens == null) {
            return null;
        }
        BigDecimal value = tokens.toBigDecimal();
        return value.scale() < 0 ? value.setScale(0) : value;
    }
}
