package dev.troupe.cli.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.client.results.BatchProgress;
import dev.troupe.model.JobStatus;
import dev.troupe.model.Tokens;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminalProgressBarTest {

    private static final BatchProgress MIDWAY = new BatchProgress(10_000, Map.of(JobStatus.SUCCEEDED, 2_998, JobStatus.FAILED, 2),
            Tokens.of(104_965), Duration.ofSeconds(40), 6.7, 0, 0, 0);

    @Test
    void onAWideTerminalTheWholeLineIsShown() {
        assertThat(TerminalProgressBar.line(MIDWAY, 120))
                .isEqualTo("[####------------] 3000/10000  2998 ok  2 failed  104,965 tokens  6.7 jobs/s  ETA 17m 25s");
    }

    @Test
    void whereTheJobsAreComesLastAndIsTheFirstToGoOnANarrowTerminal() {
        String states = "queued 3, parked 2 (budget studio-a until 10:00Z), at Givon 4, finished 11";
        assertThat(TerminalProgressBar.line(MIDWAY, 200, states))
                .isEqualTo("[####------------] 3000/10000  2998 ok  2 failed  104,965 tokens  6.7 jobs/s  ETA 17m 25s  " + states);
        assertThat(TerminalProgressBar.line(MIDWAY, 120, states)).isEqualTo(TerminalProgressBar.line(MIDWAY, 120));
    }

    @Test
    void onANarrowTerminalNoLineReachesTheLastColumn() {
        for (int columns = 10; columns <= 100; columns++) {
            StringWriter text = new StringWriter();
            ProgressView bar = ProgressView.of(new PrintWriter(text), true, columns, Duration.ofSeconds(2));
            bar.onProgress(MIDWAY);
            bar.finish(new BatchProgress(10_000, Map.of(JobStatus.SUCCEEDED, 9_990, JobStatus.REJECTED, 10), Tokens.of(349_650),
                    Duration.ofSeconds(400), 25, 0, 0, 0));
            int width = columns;
            // What the terminal shows of each redraw: between the carriage return and the erase-to-end-of-line.
            Arrays.stream(text.toString().split("[\r\n]")).map(drawn -> drawn.replace("\u001b[K", "")).forEach(drawn ->
                    assertThat(drawn.length()).as("at %d columns: '%s'", width, drawn).isLessThan(width));
        }
    }

    @Test
    void theBarShrinksAndTheLeastUsefulFiguresGoFirst() {
        assertThat(TerminalProgressBar.line(MIDWAY, 60)).isEqualTo("[##------] 3000/10000  2998 ok  2 failed  ETA 17m 25s");
        assertThat(TerminalProgressBar.line(MIDWAY, 41)).isEqualTo("[##------] 3000/10000  2998 ok  2 failed");
        assertThat(TerminalProgressBar.line(MIDWAY, 30)).isEqualTo("3000/10000  2998 ok  2 failed");
        assertThat(TerminalProgressBar.line(MIDWAY, 12)).isEqualTo("3000/10000");
    }
}
