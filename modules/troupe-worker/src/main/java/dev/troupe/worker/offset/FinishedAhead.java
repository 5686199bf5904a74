package dev.troupe.worker.offset;

import java.util.Arrays;
import java.util.Optional;

/**
 * Offsets above a committed offset whose jobs already finished, carried in the commit's metadata
 * when a partition is handed over, so that its next owner skips them instead of running them again
 * (a job finished out of order above an unfinished one would otherwise be redelivered and paid twice).
 *
 * <p>Format: {@code troupe-done/1:} then comma-separated deltas from the committed offset, runs
 * written {@code a-b}. Kafka caps commit metadata (offset.metadata.max.bytes, 4096 by default), so the
 * list stops before {@link #MAX_CHARS}; offsets left out are merely run again.
 */
public final class FinishedAhead {

    static final String PREFIX = "troupe-done/1:";
    static final int MAX_CHARS = 3_500;

    private final long base;
    private final long[] offsets; // sorted, all >= base

    private FinishedAhead(long base, long[] offsets) {
        this.base = base;
        this.offsets = offsets;
    }

    /** Encodes the sorted finished offsets above {@code committed}; empty string when there are none. */
    static String encode(long committed, long[] finishedSorted) {
        if (finishedSorted.length == 0) {
            return "";
        }
        StringBuilder text = new StringBuilder(PREFIX);
        int i = 0;
        while (i < finishedSorted.length) {
            int j = i;
            while (j + 1 < finishedSorted.length && finishedSorted[j + 1] == finishedSorted[j] + 1) {
                j++;
            }
            String run = (finishedSorted[i] - committed) + (j > i ? "-" + (finishedSorted[j] - committed) : "");
            if (text.length() + run.length() + 1 > MAX_CHARS) {
                break;
            }
            if (text.length() > PREFIX.length()) {
                text.append(',');
            }
            text.append(run);
            i = j + 1;
        }
        return text.toString();
    }

    /** Reads commit metadata written by {@link #encode}; empty for anything else (another tool's metadata). */
    public static Optional<FinishedAhead> decode(long committed, String metadata) {
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            long[] buffer = new long[16];
            int count = 0;
            for (String run : metadata.substring(PREFIX.length()).split(",")) {
                if (run.isEmpty()) {
                    continue;
                }
                int dash = run.indexOf('-');
                long from = Long.parseLong(dash < 0 ? run : run.substring(0, dash));
                long to = dash < 0 ? from : Long.parseLong(run.substring(dash + 1));
                for (long delta = from; delta <= to; delta++) {
                    if (count == buffer.length) {
                        buffer = Arrays.copyOf(buffer, count * 2);
                    }
                    buffer[count++] = committed + delta;
                }
            }
            long[] offsets = Arrays.copyOf(buffer, count);
            Arrays.sort(offsets);
            return Optional.of(new FinishedAhead(committed, offsets));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** True if the job at {@code offset} already has its result. */
    public boolean finished(long offset) {
        return offset >= base && Arrays.binarySearch(offsets, offset) >= 0;
    }

    public int size() {
        return offsets.length;
    }
}
