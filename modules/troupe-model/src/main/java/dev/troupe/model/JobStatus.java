package dev.troupe.model;

/** The terminal outcome of a job, as published on the results topic. */
public enum JobStatus {
    /** Givon produced the video; {@code videoUrl} is set. */
    SUCCEEDED,
    /** The job was attempted and did not produce a video; {@code error} says why. */
    FAILED,
    /** The job was refused before any Givon call: invalid input or no budget. */
    REJECTED,
    /** The job's {@code notAfter} deadline passed before it was submitted. */
    EXPIRED,
    /** An operator cancelled it ({@code troupe cancel}) before Givon accepted it; nothing was paid. */
    CANCELLED
}
