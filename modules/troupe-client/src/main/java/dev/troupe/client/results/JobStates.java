package dev.troupe.client.results;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Where a batch's jobs are now, from the workers' progress events ({@code troupe.progress}) and the
 * results seen: each job in one place, by its latest run.
 *
 * @param queued     in Kafka or admitted by a worker, waiting for budget or a slot (or to retry)
 * @param parked     waiting for a spent budget's window to roll
 * @param parkedBy   per budget (tenant; {@code default} for none), the earliest time its parked jobs resume
 * @param held       held by {@code troupe pause}
 * @param atGivon    submitted: Givon is generating them
 * @param finished   with a result (or a FINISHED event) for their latest run
 */
public record JobStates(int queued, int parked, Map<String, Instant> parkedBy, int held, int atGivon, int finished) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_AND_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC);

    public JobStates {
        parkedBy = Map.copyOf(parkedBy);
    }

    /**
     * {@code queued 3, parked 2 (budget studio-a until 10:00Z), at Givon 4, finished 11}; held jobs only
     * when there are some. A time of another day than {@code now}'s (UTC) carries its date.
     */
    public String text(Instant now) {
        StringJoiner line = new StringJoiner(", ");
        line.add("queued " + queued);
        StringBuilder parkedText = new StringBuilder("parked " + parked);
        if (parked > 0 && !parkedBy.isEmpty()) {
            StringJoiner budgets = new StringJoiner("; ", " (", ")");
            parkedBy.entrySet().stream().sorted(Map.Entry.comparingByValue())
                    .forEach(e -> budgets.add("budget " + e.getKey() + " until " + time(e.getValue(), now)));
            parkedText.append(budgets);
        }
        line.add(parkedText);
        if (held > 0) {
            line.add("held " + held + " (paused)");
        }
        line.add("at Givon " + atGivon);
        line.add("finished " + finished);
        return line.toString();
    }

    private static String time(Instant at, Instant now) {
        boolean sameDay = at.atOffset(ZoneOffset.UTC).toLocalDate().equals(now.atOffset(ZoneOffset.UTC).toLocalDate());
        return (sameDay ? TIME : DAY_AND_TIME).format(at);
    }
}
