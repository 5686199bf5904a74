package dev.troupe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The wire form of {@code troupe.budget}: what is written reads back, what is not an entry says why. */
class BudgetCodecTest {

    private final BudgetCodec codec = new BudgetCodec();

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eachKindHasItsWireForm() {
        assertThat(new String(codec.encode(new BudgetEntry.Reserve("studio-a", "job-1", Tokens.parse("5.5"), "w-1:17")),
                StandardCharsets.UTF_8)).isEqualTo("{\"schema\":\"troupe.budget/v1\",\"kind\":\"RESERVE\",\"budget\":\"studio-a\","
                        + "\"jobId\":\"job-1\",\"amount\":\"5.5\",\"requestId\":\"w-1:17\"}");
        assertThat(new String(codec.encode(new BudgetEntry.Settle("*", "job-1", 2_949_000L, Tokens.of(21))), StandardCharsets.UTF_8))
                .isEqualTo("{\"schema\":\"troupe.budget/v1\",\"kind\":\"SETTLE\",\"budget\":\"*\",\"jobId\":\"job-1\","
                        + "\"window\":2949000,\"costTokens\":\"21\"}");
        assertThat(new String(codec.encode(new BudgetEntry.Hold("job-1", 60_000, "402 insufficient balance")), StandardCharsets.UTF_8))
                .isEqualTo("{\"schema\":\"troupe.budget/v1\",\"kind\":\"HOLD\",\"budget\":\"*account\",\"jobId\":\"job-1\","
                        + "\"holdMillis\":60000,\"reason\":\"402 insufficient balance\"}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"schema\":\"troupe.budget/v1\",\"kind\":\"RESERVE\",\"budget\":\"a\",\"jobId\":\"j\",\"requestId\":\"r\"}|amount",
        "{\"schema\":\"troupe.budget/v1\",\"kind\":\"RESERVE\",\"budget\":\"a\",\"jobId\":\"j\",\"amount\":\"-1\",\"requestId\":\"r\"}|amount",
        "{\"schema\":\"troupe.budget/v1\",\"kind\":\"RESERVE\",\"budget\":\"a b\",\"jobId\":\"j\",\"amount\":\"1\",\"requestId\":\"r\"}|budget",
        "{\"schema\":\"troupe.budget/v1\",\"kind\":\"SETTLE\",\"budget\":\"a\",\"jobId\":\"j\",\"window\":1.5,\"costTokens\":\"1\"}|window",
        "{\"schema\":\"troupe.budget/v1\",\"kind\":\"RELEASE\",\"budget\":\"a\",\"jobId\":\"\",\"window\":1}|jobId",
        "{\"schema\":\"troupe.budget/v1\",\"kind\":\"PAUSE\",\"budget\":\"a\",\"jobId\":\"j\"}|kind",
        "{\"schema\":\"troupe.budget/v1\",\"kind\":\"HOLD\",\"budget\":\"a\",\"jobId\":\"j\",\"holdMillis\":1,\"reason\":\"\"}|budget",
        "{\"schema\":\"troupe.budget/v1\",\"kind\":\"HOLD\",\"budget\":\"*account\",\"jobId\":\"j\",\"holdMillis\":0,\"reason\":\"\"}|holdMillis",
        "{\"schema\":\"troupe.budget/v1\",\"kind\":\"RESERVE\",\"budget\":\"*account\",\"jobId\":\"j\",\"amount\":\"1\",\"requestId\":\"r\"}|budget",
        "{\"schema\":\"troupe.budget/v2\"}|schema",
        "[1,2]|''",
    })
    void aRecordThatIsNotAnEntryNamesTheField(String json, String field) {
        assertThat(codec.decode(utf8(json))).isInstanceOfSatisfying(BudgetCodec.Unreadable.class,
                unreadable -> assertThat(unreadable.field()).isEqualTo(field));
    }

    @Test
    void aLongHoldReasonIsClippedToWhatTheReaderTakes() {
        for (String reason : List.of("x".repeat(1_000), "\uD83D\uDE00".repeat(150))) {
            BudgetEntry.Hold hold = new BudgetEntry.Hold("job-1", 60_000, reason);

            assertThat(hold.reason().length()).isLessThanOrEqualTo(BudgetEntry.Hold.MAX_REASON);
            assertThat(hold.reason()).startsWith(reason.substring(0, 10)).endsWith("chars)");
            assertThat(codec.decode(codec.encode(hold))).isEqualTo(new BudgetCodec.Entry(hold));
        }
    }

    @Test
    void nothingIsWrittenThatTheReaderWouldRefuse() {
        assertThatThrownBy(() -> codec.encode(new BudgetEntry.Release("tenant with spaces", "job-1", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("budget must be");
    }

    @Property(tries = 300)
    void whatIsWrittenReadsBackAsItself(@ForAll("entries") BudgetEntry entry) {
        assertThat(codec.decode(codec.encode(entry))).isEqualTo(new BudgetCodec.Entry(entry));
    }

    @Property(tries = 500)
    void anyBytesDecodeWithoutThrowing(@ForAll byte[] bytes) {
        assertThat(codec.decode(bytes)).isNotNull();
    }

    @Provide
    Arbitrary<BudgetEntry> entries() {
        return ModelArbitraries.budgetEntries();
    }
}
