package dev.troupe.model;

import java.time.Instant;
import java.util.Objects;

/**
 * An operator's command on {@code troupe.control} (schema {@value #SCHEMA}), read in full by every
 * worker: cancel a batch or a job, pause or resume a tenant or the whole fleet. The topic is
 * compacted by {@link #key}, so the latest command for a target is the one that holds: a RESUME
 * replaces the PAUSE of the same tenant.
 *
 * @param kind   what to do
 * @param target what it applies to
 * @param id     the batchId, jobId or tenant; null for the fleet
 * @param at     when it was given: a cancel applies to the job records written until then, so that
 *               jobs sent again later ({@code troupe retry}) run
 * @param reason why, for people (at most {@value #MAX_REASON} characters); may be null
 */
public record ControlCommand(Kind kind, Target target, String id, Instant at, String reason) {

    public static final String SCHEMA = "troupe.control/v1";
    public static final int MAX_REASON = 200;

    public enum Kind { CANCEL, PAUSE, RESUME }

    public enum Target { BATCH, JOB, TENANT, FLEET }

    public ControlCommand {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(at, "at");
        boolean cancels = kind == Kind.CANCEL;
        if (cancels != (target == Target.BATCH || target == Target.JOB)) {
            throw new IllegalArgumentException(kind + " applies to " + (cancels ? "a batch or a job" : "a tenant or the fleet")
                    + ", not to " + target.name().toLowerCase(java.util.Locale.ROOT));
        }
        if ((target == Target.FLEET) != (id == null)) {
            throw new IllegalArgumentException(target == Target.FLEET ? "a command to the fleet names no id" : target + " needs its id");
        }
        reason = reason == null ? null : Texts.clip(reason, MAX_REASON);
    }

    public static ControlCommand cancelBatch(String batchId, Instant at, String reason) {
        return new ControlCommand(Kind.CANCEL, Target.BATCH, batchId, at, reason);
    }

    public static ControlCommand cancelJob(String jobId, Instant at, String reason) {
        return new ControlCommand(Kind.CANCEL, Target.JOB, jobId, at, reason);
    }

    public static ControlCommand pause(String tenant, Instant at, String reason) {
        return new ControlCommand(Kind.PAUSE, tenant == null ? Target.FLEET : Target.TENANT, tenant, at, reason);
    }

    public static ControlCommand resume(String tenant, Instant at, String reason) {
        return new ControlCommand(Kind.RESUME, tenant == null ? Target.FLEET : Target.TENANT, tenant, at, reason);
    }

    /** The record's key: one per target ({@code batch:ID}, {@code job:ID}, {@code tenant:ID}, {@code fleet}). */
    public String key() {
        String name = target.name().toLowerCase(java.util.Locale.ROOT);
        return id == null ? name : name + ":" + id;
    }
}
