package dev.troupe.givon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PollScheduleTest {

    private static final long MS = 1_000_000L;
    private static final PollBackoff BACKOFF = PollBackoff.DEFAULT; // 5 s x2 to 30 s
    private final PollSchedule schedule = new PollSchedule(BACKOFF);

    @Test
    void withoutALearnedStartItIsTodaysBackoffDrawForDraw() {
        SplittableRandom ours = new SplittableRandom(9);
        SplittableRandom todays = new SplittableRandom(9);
        assertThat(schedule.first(0, GenerationTimes.AT_ONCE, ours)).isZero();
        for (int step = 0; step < 50; step++) {
            assertThat(schedule.next(step * 1_000 * MS, GenerationTimes.AT_ONCE, step, ours))
                    .isEqualTo(BACKOFF.delay(step, todays));
        }
    }

    @Test
    void theFirstReadComesAtTheLearnedStartOrJustBefore() {
        SplittableRandom random = new SplittableRandom(1);
        long start = 80_000 * MS;
        for (int i = 0; i < 1_000; i++) {
            Duration wait = schedule.first(2 * MS, start, random);
            assertThat(wait.toNanos() + 2 * MS).isBetween((long) (start * (1 - PollSchedule.FIRST_READ_SPREAD)), start);
        }
        // A follow taken over after its start (accepted long ago): read at once.
        assertThat(schedule.first(start + 1, start, random)).isZero();
    }

    @Test
    void aFollowBegunBeforeTheStartWasLearnedWaitsForIt() {
        SplittableRandom random = new SplittableRandom(2);
        long start = 80_000 * MS;
        long elapsed = 12_000 * MS;
        for (int i = 0; i < 1_000; i++) {
            long readAt = elapsed + schedule.next(elapsed, start, 3, random).toNanos();
            assertThat(readAt).isBetween((long) (start * (1 - PollSchedule.FIRST_READ_SPREAD)), start);
        }
        // Its first read was near the start (just below it): the next wait is paced, not another read at the start.
        long paced = schedule.next(start - 5 * MS, start, 3, random).toNanos();
        assertThat((double) paced).isGreaterThanOrEqualTo(PollSchedule.PACE * BACKOFF.max().toNanos() * (1 - PollSchedule.JITTER));
    }

    @Test
    void afterTheStartWaitsAreNearTwoThirdsOfTodaysCeiling() {
        SplittableRandom random = new SplittableRandom(3);
        long ceiling = BACKOFF.max().toNanos();
        double mean = PollSchedule.PACE * ceiling;
        double sum = 0;
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            long wait = schedule.next(90_000 * MS, 80_000 * MS, i, random).toNanos();
            assertThat((double) wait).isBetween(mean * (1 - PollSchedule.JITTER), mean * (1 + PollSchedule.JITTER));
            sum += wait;
        }
        assertThat(sum / n / ceiling).isBetween(0.64, 0.66);
    }

    @Test
    void todaysCeilingAtAnElapsedTimeFollowsItsMeanWaits() {
        // Today's mean waits: 2.5 s, 5 s, 10 s, then 15 s: the ceiling grows at 2.5 s, 7.5 s and 17.5 s.
        assertThat(schedule.ceilingAt(0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(schedule.ceilingAt(2_400 * MS)).isEqualTo(Duration.ofSeconds(5));
        assertThat(schedule.ceilingAt(2_600 * MS)).isEqualTo(Duration.ofSeconds(10));
        assertThat(schedule.ceilingAt(8_000 * MS)).isEqualTo(Duration.ofSeconds(20));
        assertThat(schedule.ceilingAt(17_600 * MS)).isEqualTo(Duration.ofSeconds(30));
        assertThat(schedule.ceilingAt(Long.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
        PollSchedule flat = new PollSchedule(new PollBackoff(Duration.ofSeconds(1), Duration.ofSeconds(9), 1.0));
        assertThat(flat.ceilingAt(Long.MAX_VALUE)).isEqualTo(Duration.ofSeconds(1));
    }

    /**
     * The claim the schedule rests on, checked by drawing: ends at random moments well after the start
     * are seen as late as today's full-jitter waits see them, with about a third fewer reads.
     */
    @Test
    void pacedWaitsSeeEndsAsLateAsTodayWithFewerReads() {
        SplittableRandom random = new SplittableRandom(4);
        long start = 60_000 * MS;
        double todayDelay = 0;
        double pacedDelay = 0;
        double todayReads = 0;
        double pacedReads = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            long end = start + random.nextLong(60_000 * MS);
            // Both begin reading at the start; today's waits are then on its ceiling of 30 s.
            long today = start;
            long paced = start;
            int step = 10;
            while (today < end) {
                today += BACKOFF.delay(step++, random).toNanos();
                todayReads++;
            }
            while (paced < end) {
                paced += schedule.next(paced, start, step, random).toNanos();
                pacedReads++;
            }
            todayDelay += today - end;
            pacedDelay += paced - end;
        }
        assertThat(pacedDelay / todayDelay).isBetween(0.93, 1.07);
        assertThat(pacedReads / todayReads).isBetween(0.70, 0.82);
    }
}
