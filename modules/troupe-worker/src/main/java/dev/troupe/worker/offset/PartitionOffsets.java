package dev.troupe.worker.offset;

import java.util.OptionalLong;

/**
 * Out-of-order completion for one partition: which offset is safe to commit while jobs finish in
 * any order. Records are tracked in increasing offset order, with gaps allowed (transaction markers
 * and compaction leave holes, so the next record is never assumed to be {@code offset + 1}). The
 * committable offset, in Kafka's sense of "the next offset to read", is the lowest tracked offset
 * whose job is not terminal, or the last tracked offset + 1 once all are terminal: a commit never
 * passes an unfinished job.
 *
 * <p>Storage is a ring of the entries from the oldest unfinished job to the last tracked one; the
 * finished prefix is dropped as soon as it forms, and the ring shrinks with it. {@link #track} and
 * {@link #committable} are O(1), {@link #complete} is O(log n) (binary search over the sorted ring)
 * plus the amortised prefix drop. Only the consumer thread uses it.
 */
public final class PartitionOffsets {

    static final int MIN_CAPACITY = 16;

    // Both arrays have a power-of-two length; entry i lives at slot (head + i) & (length - 1).
    private long[] offsets = new long[MIN_CAPACITY];
    private boolean[] done = new boolean[MIN_CAPACITY];
    private int head;
    private int size;
    private int inFlight;
    private long lastTracked = -1;

    /**
     * Starts tracking a record handed to a job.
     *
     * @throws IllegalArgumentException if {@code offset} is negative or not above the last tracked
     *                                  offset (a seek back must start from a new instance)
     */
    public void track(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
        if (offset <= lastTracked) {
            throw new IllegalArgumentException(
                    "offset " + offset + " tracked after offset " + lastTracked + ": offsets must increase");
        }
        if (size == offsets.length) {
            resize(offsets.length * 2);
        }
        int slot = slot(size);
        offsets[slot] = offset;
        done[slot] = false;
        size++;
        inFlight++;
        lastTracked = offset;
    }

    /**
     * Marks the job of {@code offset} terminal.
     *
     * @return {@code true} if this call finished a tracked job; {@code false} if the offset was never
     *     tracked, is already behind the committable offset, or was completed before (idempotent)
     */
    public boolean complete(long offset) {
        int index = indexOf(offset);
        if (index < 0 || done[slot(index)]) {
            return false;
        }
        done[slot(index)] = true;
        inFlight--;
        if (index == 0) {
            dropFinishedPrefix();
        }
        return true;
    }

    /**
     * The offset to commit: the lowest unfinished tracked offset, or the last tracked offset + 1 when
     * every tracked job is terminal; empty when nothing was ever tracked. Never decreases.
     */
    public OptionalLong committable() {
        if (lastTracked < 0) {
            return OptionalLong.empty();
        }
        // The head entry is always unfinished: finished heads are dropped at once.
        return OptionalLong.of(size == 0 ? lastTracked + 1 : offsets[head]);
    }

    /** Tracked jobs not yet terminal. */
    public int inFlight() {
        return inFlight;
    }

    /** Entries held: from the oldest unfinished job to the last tracked one. */
    int retained() {
        return size;
    }

    int capacity() {
        return offsets.length;
    }

    private int indexOf(long offset) {
        if (size == 0 || offset < offsets[head] || offset > lastTracked) {
            return -1;
        }
        int low = 0;
        int high = size - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long value = offsets[slot(mid)];
            if (value < offset) {
                low = mid + 1;
            } else if (value > offset) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    private void dropFinishedPrefix() {
        int mask = offsets.length - 1;
        while (size > 0 && done[head]) {
            head = (head + 1) & mask;
            size--;
        }
        // Shrink at a quarter full, not half, so a size hovering at a boundary does not thrash.
        int capacity = offsets.length;
        while (capacity > MIN_CAPACITY && size <= capacity / 4) {
            capacity /= 2;
        }
        if (capacity != offsets.length) {
            resize(capacity);
        }
    }

    private void resize(int capacity) {
        long[] newOffsets = new long[capacity];
        boolean[] newDone = new boolean[capacity];
        for (int i = 0; i < size; i++) {
            newOffsets[i] = offsets[slot(i)];
            newDone[i] = done[slot(i)];
        }
        offsets = newOffsets;
        done = newDone;
        head = 0;
    }

    private int slot(int index) {
        return (head + index) & (offsets.length - 1);
    }
}
