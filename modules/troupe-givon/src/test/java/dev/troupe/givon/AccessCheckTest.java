package dev.troupe.givon;

import static dev.troupe.givon.AsyncResults.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.givon.sim.GivonSimulator;
import dev.troupe.givon.sim.ScriptedAnswer;
import dev.troupe.givon.sim.SimClock;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** checkAccess: one cheap authenticated GET says whether Givon takes the key, and never fails. */
class AccessCheckTest {

    private static final String KEY = "sk-troupe-access-9e8d7c";
    private static final String FORBIDDEN_KEY = "sk-troupe-access-forbidden-1a2b";
    private static final String UNKNOWN_KEY = "sk-troupe-access-unknown-3c4d";

    private static Vertx vertx;
    private static GivonSimulator simulator;

    @BeforeAll
    static void startSimulator() {
        vertx = Vertx.vertx();
        simulator = TestClients.simulator(vertx, SimClock.manual(), config -> config
                .apiKeys(KEY).forbiddenKeys(FORBIDDEN_KEY));
    }

    @AfterAll
    static void stop() {
        TestClients.stop(simulator, vertx);
    }

    @BeforeEach
    void reset() {
        simulator.resetFaults();
    }

    private static AccessCheck check(String baseUrl, String key) {
        try (GivonClient client = TestClients.client(vertx, baseUrl, key, 1, b -> b
                .connectTimeout(Duration.ofSeconds(2)))) {
            AccessCheck check = succeeded(client.checkAccess());
            assertThat(check.describe()).doesNotContain(key);
            assertThat(check.toString()).doesNotContain(key);
            return check;
        }
    }

    @Test
    void aGoodKeyIsAccepted() {
        AccessCheck check = check(simulator.baseUrl(), KEY);

        assertThat(check.verdict()).isEqualTo(AccessCheck.Verdict.ACCEPTED);
        assertThat(check.httpStatus()).isEqualTo(404);
        assertThat(check.describe()).isEqualTo("Givon accepted the API key (HTTP 404)");
    }

    @Test
    void anUnknownKeyIsRefusedWithGivonsWords() {
        AccessCheck check = check(simulator.baseUrl(), UNKNOWN_KEY);

        assertThat(check).isEqualTo(new AccessCheck(AccessCheck.Verdict.REFUSED, 401, "Invalid API key"));
    }

    @Test
    void aForbiddenKeyIsRefused() {
        AccessCheck check = check(simulator.baseUrl(), FORBIDDEN_KEY);

        assertThat(check.verdict()).isEqualTo(AccessCheck.Verdict.REFUSED);
        assertThat(check.httpStatus()).isEqualTo(403);
    }

    @Test
    void aStrugglingGivonCannotSay() {
        simulator.script(request -> Optional.of(ScriptedAnswer.json(503, "{\"error\":\"maintenance, Bearer " + KEY + "\"}")));

        AccessCheck check = check(simulator.baseUrl(), KEY);

        assertThat(check.verdict()).isEqualTo(AccessCheck.Verdict.UNKNOWN);
        assertThat(check.httpStatus()).isEqualTo(503);
        assertThat(check.detail()).contains("maintenance").contains("Bearer ****");
    }

    @Test
    void aGivonThatIsDownCannotSayAndTheCheckStillSucceeds() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        AccessCheck check = check("http://127.0.0.1:" + closedPort, KEY);

        assertThat(check.verdict()).isEqualTo(AccessCheck.Verdict.UNKNOWN);
        assertThat(check.httpStatus()).isEqualTo(-1);
        assertThat(check.detail()).isNotBlank();
    }

    @Test
    void theCheckAsksForTheSentinelGeneration() {
        List<String> paths = new CopyOnWriteArrayList<>();
        simulator.script(request -> {
            paths.add(request.method() + " " + request.path());
            return Optional.empty();
        });

        check(simulator.baseUrl(), KEY);

        assertThat(paths).containsExactly("GET /api/v1/generations/" + GivonClient.ACCESS_CHECK_ID);
    }
}
