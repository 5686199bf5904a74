package dev.troupe.cli.dashboard;

import dev.troupe.cli.budget.BudgetLogReader;
import dev.troupe.cli.budget.BudgetTally;
import dev.troupe.cli.budget.BudgetWindow;
import dev.troupe.client.KafkaConnection;
import dev.troupe.model.Tokens;
import dev.troupe.worker.budget.BudgetRule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The fleet's limited budgets as the dashboard shows them: {@code troupe.budget} read with the workers' rule
 * ({@link BudgetTally}, what {@code troupe budget} shows) on a thread of its own, following the log, and for each
 * budget's current window a burn line of at most {@value #BURN_POINTS} points (spent and reserved over the
 * window, sampled at the log's own times as records arrive). Thread-safe.
 */
public final class BudgetBoard implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(BudgetBoard.class);
    public static final int BURN_POINTS = 240;
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration MIN_STEP = Duration.ofSeconds(1);

    /** One point of a burn line. */
    public record Burn(Instant at, Tokens spent, Tokens reserved) {
    }

    private record Appended(byte[] value, Instant at) {
    }

    private final KafkaConnection kafka;
    private final String topic;
    private final BudgetTally tally;
    private final Duration holdLookBack;
    private final Clock clock;
    private final Runnable changed;
    private final Map<String, ArrayDeque<Burn>> burns = new HashMap<>();
    private final Map<String, Long> burnWindow = new HashMap<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile BudgetLogReader reader;
    private Set<Instant> partial = Set.of();
    private Instant lastSample = Instant.EPOCH;
    private final Duration step;

    public BudgetBoard(KafkaConnection kafka, String topic, Map<String, BudgetRule> limited, Duration holdLookBack, Clock clock,
                       Runnable changed) {
        this.kafka = kafka;
        this.topic = topic;
        this.tally = new BudgetTally(limited, Set.of());
        this.holdLookBack = holdLookBack;
        this.clock = clock;
        this.changed = changed;
        Duration shortest = limited.values().stream().map(BudgetRule::window).min(Duration::compareTo).orElse(Duration.ofDays(1));
        Duration each = shortest.dividedBy(BURN_POINTS);
        this.step = each.compareTo(MIN_STEP) < 0 ? MIN_STEP : each;
        this.thread = new Thread(this::run, "troupe-dashboard-budget");
        thread.setDaemon(true);
    }

    public BudgetBoard start() {
        if (!tally.rules().isEmpty()) {
            thread.start();
        }
        return this;
    }

    /** The limited budgets' rules, by budget key; empty when none is limited (the board then reads nothing). */
    public Map<String, BudgetRule> rules() {
        return tally.rules();
    }

    /** The current and previous window of each limited budget now. */
    public synchronized List<BudgetWindow> windows() {
        Set<Instant> incomplete = partial;
        return tally.windows(clock.instant(), start -> !incomplete.contains(start));
    }

    /** The burn line of a budget's current window, oldest first. */
    public synchronized List<Burn> burn(String budget) {
        ArrayDeque<Burn> line = burns.get(budget);
        return line == null ? List.of() : new ArrayList<>(line);
    }

    private void run() {
        while (!closed) {
            try (BudgetLogReader log = new BudgetLogReader(kafka, topic)) {
                reader = log;
                if (closed) {
                    return;
                }
                Set<Instant> missing = log.open(tally.starts(clock.instant()), clock.instant().minus(holdLookBack));
                synchronized (this) {
                    partial = missing;
                }
                List<Appended> records = new ArrayList<>();
                while (!closed) {
                    records.clear();
                    log.poll(POLL, (value, at) -> records.add(new Appended(value, at))); // outside the lock: readers never wait on Kafka
                    if (records.isEmpty()) {
                        continue;
                    }
                    synchronized (this) {
                        for (Appended record : records) {
                            tally.apply(record.value(), record.at());
                            sample(record.at(), true);
                        }
                        sample(clock.instant(), false);
                    }
                    changed.run();
                }
            } catch (WakeupException e) {
                return;
            } catch (KafkaException | IllegalStateException e) {
                if (closed) {
                    return;
                }
                LOG.warn("reading {} for the dashboard: {}; trying again", topic, e.getMessage());
                try {
                    Thread.sleep(2_000); // this board's own thread
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void sample(Instant at, boolean onlyAfterStep) {
        if (onlyAfterStep && Duration.between(lastSample, at).compareTo(step) < 0) {
            return;
        }
        lastSample = at;
        for (BudgetWindow window : tally.windows(at, start -> true)) {
            if (window.which() != BudgetWindow.Which.CURRENT) {
                continue;
            }
            ArrayDeque<Burn> line = burns.computeIfAbsent(window.budget(), k -> new ArrayDeque<>());
            Long index = burnWindow.put(window.budget(), window.index());
            if (index != null && index != window.index()) {
                line.clear(); // a new window: its own line
            }
            if (!line.isEmpty() && line.peekLast().spent().equals(window.spent()) && line.peekLast().reserved().equals(window.reserved())
                    && Duration.between(line.peekLast().at(), at).compareTo(step) < 0) {
                continue;
            }
            line.addLast(new Burn(at, window.spent(), window.reserved()));
            while (line.size() > BURN_POINTS) {
                line.pollFirst();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        BudgetLogReader log = reader;
        if (log != null) {
            log.wakeup();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
