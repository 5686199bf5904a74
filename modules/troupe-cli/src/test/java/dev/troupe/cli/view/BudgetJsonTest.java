package dev.troupe.cli.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.troupe.cli.budget.AccountHold;
import dev.troupe.cli.budget.BudgetReport;
import dev.troupe.cli.budget.BudgetWindow;
import dev.troupe.model.RecordSchema;
import dev.troupe.model.Tokens;
import dev.troupe.worker.budget.ExhaustionPolicy;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.Validator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetJsonTest {

    private static final BudgetWindow WINDOW = new BudgetWindow("studio-a", BudgetWindow.Which.CURRENT, 20_425,
            Instant.parse("2025-12-03T00:00:00Z"), Instant.parse("2025-12-04T00:00:00Z"), ExhaustionPolicy.WAIT, Tokens.of(50_000),
            Tokens.parse("1052.5"), Tokens.of(700), 3, Tokens.parse("48247.5"), Tokens.ZERO, 2, true);

    @Test
    void tokensAreExactPlainNumbersTimesAreIsoAndTheFieldNamesAreTheDocumentedOnes() throws Exception {
        String text = BudgetJson.render(new BudgetReport("troupe.budget", Instant.parse("2025-12-03T12:00:00Z"), List.of(WINDOW),
                List.of("*"), 9, 1, new AccountHold(Instant.parse("2025-12-03T12:00:43Z"), true, "job-7", "balance 0\nsee billing")));

        assertThat(text).doesNotContain("\n").contains("\"limit\":50000,").contains("\"spent\":1052.5,")
                .contains("\"remaining\":48247.5,").contains("\"overspend\":0,");
        JsonNode report = new ObjectMapper().readTree(text);
        assertThat(fields(report)).containsExactly("schema", "topic", "readAt", "appliedRecords", "unreadableRecords", "windows",
                "unlimited", "accountHold");
        assertThat(fields(report.get("windows").get(0))).containsExactly("budget", "window", "index", "start", "end", "policy",
                "limit", "spent", "reserved", "openReservations", "remaining", "overspend", "parkedJobs", "refusedJobs", "complete");
        assertThat(report.get("readAt").asText()).isEqualTo("2025-12-03T12:00:00Z");
        assertThat(report.get("windows").get(0).get("end").asText()).isEqualTo("2025-12-04T00:00:00Z");
        assertThat(report.get("windows").get(0).get("parkedJobs").asInt()).isEqualTo(2);
        assertThat(report.get("unlimited").get(0).asText()).isEqualTo("*");
        JsonNode hold = report.get("accountHold");
        assertThat(fields(hold)).containsExactly("until", "active", "jobId", "reason");
        assertThat(hold.get("until").asText()).isEqualTo("2025-12-03T12:00:43Z");
        assertThat(hold.get("active").asBoolean()).isTrue();
        assertThat(hold.get("jobId").asText()).isEqualTo("job-7");
        assertThat(hold.get("reason").asText()).as("exact; JSON escapes it").isEqualTo("balance 0\nsee billing");
    }

    @Test
    void withoutAHoldReadAccountHoldIsNull() throws Exception {
        String text = BudgetJson.render(new BudgetReport("troupe.budget", Instant.parse("2025-12-03T12:00:00Z"), List.of(), List.of(),
                0, 0, null));

        JsonNode report = new ObjectMapper().readTree(text);
        assertThat(report.has("accountHold")).isTrue();
        assertThat(report.get("accountHold").isNull()).isTrue();
    }

    @Test
    void everyReportMatchesTheBudgetReportSchema() {
        BudgetWindow previous = new BudgetWindow("*", BudgetWindow.Which.PREVIOUS, 20_424, Instant.parse("2025-12-02T00:00:00Z"),
                Instant.parse("2025-12-03T00:00:00Z"), ExhaustionPolicy.REJECT, Tokens.of(50), Tokens.of(55), Tokens.ZERO, 0,
                Tokens.ZERO, Tokens.of(5), 0, false);
        assertThat(BudgetJson.SCHEMA).isEqualTo(RecordSchema.BUDGET_REPORT.schemaId());
        Validator schema = reportSchema();
        for (BudgetReport report : List.of(
                new BudgetReport("troupe.budget", Instant.parse("2025-12-03T12:00:00Z"), List.of(WINDOW, previous), List.of("studio-b"),
                        9, 1, new AccountHold(Instant.parse("2025-12-03T12:00:43.5Z"), false, "job-7", "balance 0")),
                new BudgetReport("troupe.budget", Instant.parse("2025-12-03T12:00:00Z"), List.of(), List.of(), 0, 0, null))) {
            String text = BudgetJson.render(report);

            assertThat(schema.validate(new io.vertx.core.json.JsonObject(text)).getValid()).as(text).isTrue();
        }
        io.vertx.core.json.JsonObject extra = new io.vertx.core.json.JsonObject(BudgetJson.render(new BudgetReport("troupe.budget",
                Instant.parse("2025-12-03T12:00:00Z"), List.of(WINDOW), List.of(), 0, 0, null)));
        extra.getJsonArray("windows").getJsonObject(0).put("tokens", 1);
        assertThat(schema.validate(extra).getValid()).as("a field the schema does not list").isFalse();
    }

    private static Validator reportSchema() {
        return Validator.create(JsonSchema.of(new io.vertx.core.json.JsonObject(RecordSchema.BUDGET_REPORT.text())),
                new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri(RecordSchema.BASE_URI));
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
