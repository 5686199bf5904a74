package dev.troupe.model;

import java.util.Objects;

/**
 * One record of a limited budget on {@code troupe.budget} (schema {@value #SCHEMA}), keyed by its
 * budget key, so every record of one budget is in one partition, in one order. The window a record
 * counts in is cut by the broker's append time (the topic's {@code LogAppendTime}), not written here;
 * a settlement or release names the window of the reservation it closes.
 */
public sealed interface BudgetEntry {

    String SCHEMA = "troupe.budget/v1";
    /** The key of the budget every tenant without one of its own shares. */
    String DEFAULT_BUDGET = "*";
    /** The key of the Givon account's holds ({@link Hold}): no tenant can be named so. */
    String ACCOUNT = "*account";

    /** The budget key: a configured tenant, or {@value #DEFAULT_BUDGET}. */
    String budget();

    String jobId();

    /** Which entry this is: the {@code kind} field of the wire form. */
    enum Kind { RESERVE, SETTLE, RELEASE, HOLD }

    Kind kind();

    /**
     * A worker asks for {@code amount} for a job; {@code requestId} (unique to the asking worker's run)
     * lets it recognise its own request when it reads the log back.
     */
    record Reserve(String budget, String jobId, Tokens amount, String requestId) implements BudgetEntry {
        public Reserve {
            Objects.requireNonNull(budget, "budget");
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(requestId, "requestId");
        }

        @Override
        public Kind kind() {
            return Kind.RESERVE;
        }
    }

    /** The job's reservation in {@code window} is spent: Givon charged {@code cost}. */
    record Settle(String budget, String jobId, long window, Tokens cost) implements BudgetEntry {
        public Settle {
            Objects.requireNonNull(budget, "budget");
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(cost, "cost");
        }

        @Override
        public Kind kind() {
            return Kind.SETTLE;
        }
    }

    /** The job's reservation in {@code window} is given back: Givon created nothing. */
    record Release(String budget, String jobId, long window) implements BudgetEntry {
        public Release {
            Objects.requireNonNull(budget, "budget");
            Objects.requireNonNull(jobId, "jobId");
        }

        @Override
        public Kind kind() {
            return Kind.RELEASE;
        }
    }

    /**
     * Givon said the account cannot pay when {@code jobId} was submitted: every worker holds its
     * submissions for {@code holdMillis} from the record's append time (DESIGN.md "Fleet quotas").
     * Keyed {@link #ACCOUNT}, not a budget; {@code reason} is what Givon said, bounded.
     */
    record Hold(String budget, String jobId, long holdMillis, String reason) implements BudgetEntry {
        /** Longest reason, in UTF-16 code units: what {@link BudgetCodec} reads back. */
        public static final int MAX_REASON = 200;
        /** Room for the "…(N chars)" a clipped reason ends with: N has at most 10 digits. */
        private static final int CLIP_MARK_ROOM = 20;

        public Hold {
            Objects.requireNonNull(budget, "budget");
            Objects.requireNonNull(jobId, "jobId");
            reason = fit(Objects.requireNonNull(reason, "reason"));
        }

        /**
         * At most {@value #MAX_REASON} UTF-16 code units with its clip mark: a clip by code points
         * ({@link Texts#clip}) let a long reason, or one of emoji, through longer than the reader takes, so
         * every worker refused the hold as unreadable.
         */
        private static String fit(String reason) {
            if (reason.length() <= MAX_REASON) {
                return reason;
            }
            int end = MAX_REASON - CLIP_MARK_ROOM;
            if (Character.isHighSurrogate(reason.charAt(end - 1))) {
                end--;
            }
            return reason.substring(0, end) + "…(" + reason.codePointCount(0, reason.length()) + " chars)";
        }

        public Hold(String jobId, long holdMillis, String reason) {
            this(ACCOUNT, jobId, holdMillis, reason);
        }

        @Override
        public Kind kind() {
            return Kind.HOLD;
        }
    }
}
