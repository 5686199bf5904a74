package dev.troupe.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentJobIdsTest {

    @Test
    void aJobIdIsNewOnceThenInFlightThenFinished() {
        RecentJobIds<String> recent = new RecentJobIds<String>(10);
        assertThat(recent.admit("a")).isEqualTo(RecentJobIds.Seen.NEW);
        assertThat(recent.admit("a")).isEqualTo(RecentJobIds.Seen.IN_FLIGHT);
        recent.finished("a");
        assertThat(recent.admit("a")).isEqualTo(RecentJobIds.Seen.FINISHED);
    }

    @Test
    void theOldestFinishedIdsFallOutButInFlightOnesNever() {
        RecentJobIds<String> recent = new RecentJobIds<String>(2);
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
        RecentJobIds<String> recent = new RecentJobIds<String>(2);
        recent.admit("handed-back");
        recent.forget("handed-back");
        assertThat(recent.admit("handed-back")).isEqualTo(RecentJobIds.Seen.NEW);
    }

    @Test
    void aRepeatOfAJobInFlightWaitsForItsResult() {
        RecentJobIds<String> recent = new RecentJobIds<>(2);
        recent.admit("j");
        assertThat(recent.admit("j")).isEqualTo(RecentJobIds.Seen.IN_FLIGHT);
        recent.await("j", "redelivered@5");
        recent.await("j", "resent@9");

        assertThat(recent.finished("j")).containsExactly("redelivered@5", "resent@9");
        assertThat(recent.admit("j")).isEqualTo(RecentJobIds.Seen.FINISHED);
    }

    @Test
    void repeatsOfAHandedBackJobAreReturnedToRunOnTheirOwn() {
        RecentJobIds<String> recent = new RecentJobIds<>(2);
        recent.admit("j");
        recent.await("j", "resent@9");

        assertThat(recent.forget("j")).containsExactly("resent@9");
        assertThat(recent.admit("j")).isEqualTo(RecentJobIds.Seen.NEW);
    }
}
