package dev.troupe.cli.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.model.JobCodec;
import dev.troupe.model.JobResult;
import dev.troupe.model.JobStatus;
import dev.troupe.testkit.KafkaCluster;
import dev.troupe.testkit.KafkaClusterExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The container image's recipe (the troupe-cli pom's {@code image} profile), checked on the tar Jib
 * wrote, so that it cannot rot silently: the tags, entrypoint, default command, user, port,
 * environment, layers and their digests, the shipped configuration; then the image run from its
 * unpacked layers ({@link ImageProcess}): its help, and a worker started with the image's default
 * command rendering a job on the simulator the same image runs.
 *
 * <p>Not a Surefire test (its name is outside the includes): failsafe runs it with {@code -Pimage},
 * after {@code package} built the tar; {@code deploy/image/build-and-check} is the command. Needs root
 * (the run unpacks owners and enters a chroot).
 */
@ExtendWith(KafkaClusterExtension.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ContainerImageCheck {

    private static final String MAIN_CLASS = "dev.troupe.cli.TroupeCli";
    /** Jib's layers after the base's, in this order (its history comments). */
    private static final List<String> APPLICATION_LAYERS =
            List.of("dependencies", "project dependencies", "resources", "classes", "jvm arg files", "extra files");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static ImageTar image;
    private static Path work;
    private static Path rootfs;

    @BeforeAll
    static void unpack() throws Exception {
        work = Path.of(property("troupe.image.work"));
        image = ImageTar.unpack(Path.of(property("troupe.image.tar")), work.resolve("tar"));
        rootfs = image.rootfs(work.resolve("rootfs"));
    }

    /** The unpacked image is some 600 MB; the commands' output stays in the work directory. */
    @AfterAll
    static void deleteUnpacked() {
        ImageTar.Commands.deleteTree(work.resolve("rootfs"));
        ImageTar.Commands.deleteTree(work.resolve("tar"));
    }

    @Test
    void theTarLoadsAsTroupeAtItsVersionAndAsLatest() {
        assertThat(image.strings(image.manifest().get("RepoTags")))
                .containsExactlyInAnyOrder("troupe:" + property("troupe.image.version"), "troupe:latest");
        assertThat(image.imageConfig().get("os").asText()).isEqualTo("linux");
    }

    @Test
    void theEntrypointIsTheCliSizedFromTheContainerAndRunsAWorkerByDefault() {
        List<String> entrypoint = image.strings(image.runConfig().get("Entrypoint"));
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint).contains("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError");
        assertThat(entrypoint).noneMatch(flag -> flag.startsWith("-Xmx") || flag.startsWith("-Xms"));
        assertThat(entrypoint.get(entrypoint.size() - 1)).isEqualTo(MAIN_CLASS);
        assertThat(image.strings(image.runConfig().get("Cmd"))).containsExactly("worker");
    }

    @Test
    void itRunsAsANumericUserThatIsNotRoot() {
        String user = image.runConfig().get("User").asText();
        assertThat(user).matches("\\d+:\\d+");
        assertThat(Integer.parseInt(user.split(":")[0])).isNotZero();
        assertThat(Integer.parseInt(user.split(":")[1])).isNotZero();
    }

    @Test
    void itExposesTheOpsPortOnAllInterfacesAndReadsTheShippedConfiguration() throws Exception {
        assertThat(fieldNames(image.runConfig().get("ExposedPorts"))).containsExactly("9464/tcp");
        Map<String, String> env = ImageProcess.environment(image, Map.of());
        assertThat(env).containsEntry("TROUPE_CONFIG", "/etc/troupe/troupe.yaml").containsEntry("TROUPE_WORKER_OPS_HOST", "0.0.0.0");
        Path extraFiles = layer("extra files");
        assertThat(ImageTar.file(extraFiles, "etc/troupe/troupe.yaml"))
                .isEqualTo(Files.readString(Path.of(property("troupe.image.config")), StandardCharsets.UTF_8));
        assertThat(ImageTar.listing(extraFiles)).anyMatch(line -> line.startsWith("-rw-r--r-- 0/0") && line.endsWith(" etc/troupe/troupe.yaml"));
    }

    @Test
    void everyLayerMatchesItsDigestAndTheApplicationLayersHoldTheCliClassPath() throws Exception {
        List<Path> layers = image.layers();
        List<String> diffIds = image.strings(image.imageConfig().get("rootfs").get("diff_ids"));
        assertThat(diffIds).hasSameSizeAs(layers);
        for (int i = 0; i < layers.size(); i++) {
            assertThat(ImageTar.diffId(layers.get(i))).as("diff_id of layer %d, %s", i, layers.get(i).getFileName()).isEqualTo(diffIds.get(i));
        }
        List<String> comments = new ArrayList<>();
        image.imageConfig().get("history").forEach(entry -> {
            if (!entry.path("empty_layer").asBoolean(false)) {
                comments.add(entry.path("comment").asText(""));
            }
        });
        assertThat(comments).hasSameSizeAs(layers);
        assertThat(comments.subList(comments.size() - APPLICATION_LAYERS.size(), comments.size())).isEqualTo(APPLICATION_LAYERS);

        // The image's class path is the thin jar's: every runtime dependency the build copied to target/lib.
        Set<String> libs = new TreeSet<>();
        for (String kind : List.of("dependencies", "project dependencies")) {
            for (String line : ImageTar.listing(layer(kind))) {
                String path = line.substring(line.lastIndexOf(' ') + 1);
                if (path.startsWith("app/libs/") && path.endsWith(".jar")) {
                    libs.add(path.substring("app/libs/".length()));
                }
            }
        }
        try (Stream<Path> copied = Files.list(Path.of(property("troupe.image.lib")))) {
            assertThat(libs).isEqualTo(copied.map(jar -> jar.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new)));
        }
        assertThat(ImageTar.file(layer("jvm arg files"), "app/jib-main-class-file").strip()).isEqualTo(MAIN_CLASS);

        // What the image adds is root's and read-only to its user; nothing deletes a base file.
        for (String kind : APPLICATION_LAYERS) {
            for (String line : ImageTar.listing(layer(kind))) {
                assertThat(line).as("an entry of the %s layer", kind).matches("[-d]r[-w][-x]r-[-x]r-[-x] 0/0 .*").doesNotContain(".wh.");
            }
        }
    }

    @Test
    void theImageAnswersHelpAsItsOwnUser() throws Exception {
        ImageProcess.Result help = ImageProcess.run(image, rootfs, work.resolve("help.log"), Map.of(), List.of("--help"), 120);
        assertThat(help.exitCode()).as(help.output()).isZero();
        assertThat(help.output()).contains("Usage: troupe").containsPattern("worker +Run a worker")
                .containsPattern("sim +Run the Givon simulator"); // the column's width follows the longest command name

        ImageProcess.Result workerHelp = ImageProcess.run(image, rootfs, work.resolve("worker-help.log"), Map.of(), List.of("worker", "--help"), 120);
        assertThat(workerHelp.exitCode()).as(workerHelp.output()).isZero();
        assertThat(workerHelp.output()).contains("Usage: troupe worker").contains("--concurrency");
    }

    @Test
    void aWorkerOnTheDefaultCommandRendersAJobOnTheSimulatorOfTheSameImage(KafkaCluster kafka) throws Exception {
        int simPort = freePort();
        int opsPort = freePort();
        String suffix = kafka.uniqueTopic("image").substring("image".length() + 1);
        Map<String, String> env = new HashMap<>();
        env.put("TROUPE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        for (String topic : List.of("jobs", "results", "progress", "state", "budget", "batches", "dlq", "control")) {
            env.put("TROUPE_TOPICS_" + topic.toUpperCase() + "_NAME", "image-" + topic + "-" + suffix);
        }
        for (String topic : List.of("jobs", "results", "progress", "budget", "batches")) {
            env.put("TROUPE_TOPICS_" + topic.toUpperCase() + "_PARTITIONS", "2");
        }
        env.put("TROUPE_WORKER_GROUP_ID", "image-workers-" + suffix);
        env.put("TROUPE_WORKER_OPS_PORT", Integer.toString(opsPort));
        env.put("TROUPE_GIVON_BASE_URL", "http://127.0.0.1:" + simPort);
        env.put("TROUPE_GIVON_POLL_INITIAL", "200ms");
        env.put("GIVON_API_KEY", "sim-key");

        try (ImageProcess sim = ImageProcess.start(image, rootfs, work.resolve("sim.log"), Map.of(), List.of("sim", "--port", Integer.toString(simPort)))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                assertThat(sim.alive()).as(sim.output()).isTrue();
                return status("http://127.0.0.1:" + simPort + "/sim/stats") == 200;
            });

            ImageProcess.Result topics = ImageProcess.run(image, rootfs, work.resolve("topics.log"), env, List.of("topics", "create"), 180);
            assertThat(topics.exitCode()).as(topics.output()).isZero();

            try (ImageProcess worker = ImageProcess.start(image, rootfs, work.resolve("worker.log"), env, List.of())) {
                await().atMost(Duration.ofSeconds(180)).until(() -> {
                    assertThat(worker.alive()).as(worker.output()).isTrue();
                    return status("http://127.0.0.1:" + opsPort + "/health/ready") == 200;
                });
                assertThat(worker.output()).contains("metrics: http://0.0.0.0:" + opsPort + "/metrics");

                ImageProcess.Result submit = ImageProcess.run(image, rootfs, work.resolve("submit.log"), env, List.of("submit",
                        "--job-id", "image-check-1", "--prompt", "Ada dances salsa on a stage",
                        "--reference-photo", "https://assets.troupe.example/characters/ada.png",
                        "--motion-video", "https://assets.troupe.example/motions/salsa.mp4", "--duration", "5"), 180);
                assertThat(submit.exitCode()).as(submit.output()).isZero();

                String results = env.get("TROUPE_TOPICS_RESULTS_NAME");
                JobCodec codec = JobCodec.defaults();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    assertThat(worker.alive()).as(worker.output()).isTrue();
                    List<JobResult> published = kafka.readAll(results).stream()
                            .map(record -> codec.decodeResult(record.value().getBytes(StandardCharsets.UTF_8))).toList();
                    assertThat(published).extracting(JobResult::jobId).containsExactly("image-check-1");
                    assertThat(published.get(0).status()).as(published.get(0).toString()).isEqualTo(JobStatus.SUCCEEDED);
                });
                assertThat(body("http://127.0.0.1:" + opsPort + "/metrics")).contains("# TYPE troupe_");

                assertThat(worker.terminate(120)).as("a worker stopped as docker stop does drains and exits 0\n" + worker.output()).isZero();
            }
            sim.terminate(60);
        }
    }

    private static Path layer(String comment) {
        List<Path> layers = image.layers();
        List<String> comments = new ArrayList<>();
        image.imageConfig().get("history").forEach(entry -> {
            if (!entry.path("empty_layer").asBoolean(false)) {
                comments.add(entry.path("comment").asText(""));
            }
        });
        int index = comments.indexOf(comment);
        assertThat(index).as("the image has a %s layer: %s", comment, comments).isNotNegative();
        return layers.get(index);
    }

    private static List<String> fieldNames(com.fasterxml.jackson.databind.JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String body(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** A port free now; the process given it binds it moments later, on loopback only this test uses. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set: run with -Pimage (deploy/image/build-and-check)");
        }
        return value;
    }
}
