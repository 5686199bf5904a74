package dev.troupe.cli.dashboard;

import dev.troupe.cli.dashboard.ViewRecords.BatchSummary;
import java.util.Comparator;
import java.util.Locale;

/**
 * A page of the batches list: filtered by text in the batchId, tenant and running/complete, sorted by one
 * column. Checked where it is built, from the query string ({@link DashboardApi}).
 */
public record BatchQuery(String text, String tenant, State state, Sort sort, boolean descending, int offset, int limit) {

    public static final int MAX_LIMIT = 500;
    public static final int MAX_TEXT = 200;

    public enum State { RUNNING, COMPLETE, ALL }

    public enum Sort { STARTED, NAME, TENANT, PROGRESS, FINISHED }

    public BatchQuery {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more, got " + offset);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
        }
        if (text != null && text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("q must be at most " + MAX_TEXT + " characters, got " + text.length());
        }
        text = text == null || text.isEmpty() ? null : text.toLowerCase(Locale.ROOT);
        tenant = tenant == null || tenant.isEmpty() ? null : tenant;
    }

    boolean matches(BatchEntry batch) {
        if (text != null && !batch.batchId.toLowerCase(Locale.ROOT).contains(text)) {
            return false;
        }
        if (tenant != null && !tenant.equals(batch.tenant == null ? "default" : batch.tenant)) {
            return false;
        }
        return switch (state) {
            case RUNNING -> !batch.complete();
            case COMPLETE -> batch.complete();
            case ALL -> true;
        };
    }

    Comparator<BatchSummary> order() {
        Comparator<BatchSummary> byName = Comparator.comparing(BatchSummary::batchId);
        Comparator<BatchSummary> column = switch (sort) {
            case STARTED -> Comparator.comparing(BatchSummary::startedAt, Comparator.nullsFirst(Comparator.naturalOrder()));
            case NAME -> byName;
            case TENANT -> Comparator.comparing(BatchSummary::tenant);
            case PROGRESS -> Comparator.comparingDouble(BatchSummary::percent);
            case FINISHED -> Comparator.comparing(BatchSummary::finishedAt, Comparator.nullsLast(Comparator.naturalOrder()));
        };
        column = descending ? column.reversed() : column;
        return column.thenComparing(byName);
    }
}
