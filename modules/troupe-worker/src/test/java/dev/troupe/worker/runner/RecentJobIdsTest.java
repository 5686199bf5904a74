package dev.troupe.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentJobIdsTest {

    @Test
    void aJobIdIsNewOnceThenInFlightThenFinished() {
        RecentJobIds recent = new RecentJobIds(10);
        assertThat(recent.admit("a")).isEqualTo(RecentJobIds.Seen.NEW);
        assertThat(recent.admit("a")).isEqualTo(RecentJobIds.Seen.IN_FLIGHT);
        recent.finished("a");
        assertThat(recent.admit("a")).isEqualTo(RecentJobIds.Seen.FINISHED);
    }

    @Test
    void theOldestFinishedIdsFallOutButInFlightOnesNever() {
        RecentJobIds recent = new RecentJobIds(2);
        recent.admit("running");
        for (String id : new String[] {"f1", "f2", "f3"}) {
            recent.admit(id);
            recent.finished(id);
        }
        assertThat(recent.admit("f1")).isEqualTo(RecentJobIds.Seen.NEW);
        assertThat(recent.admit("f3")).isEqualTo(RecentJobIds.Seen.FINISHED);
        assertThat(recent.admit("running")).isEqualTo(RecentJobIds.Seen.IN_FLIGHT);
    }

    @Test
    void aForgottenJobMayRunAgain() {
        RecentJobIds recent = new RecentJobIds(2);
        recent.admit("handed-back");
        recent.forget("handed-back");
        assertThat(recent.admit("handed-back")).isEqualTo(RecentJobIds.Seen.NEW);
    }
}
