package dev.troupe.cli.config;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * The {@code dashboard.*} keys: where {@code troupe dashboard} listens, which workers' metrics it reads and how
 * much it holds in memory.
 *
 * @param host            interface to bind; anything but a loopback address needs a token
 * @param port            0 = any free port
 * @param tokenEnv        the environment variable holding the access token
 * @param metrics         the workers' {@code /metrics} endpoints, for the fleet view
 * @param maxResults      jobs held with their rows (older complete batches keep only their counts)
 * @param maxBatches      batches held (the oldest complete ones are forgotten first)
 */
public record DashboardSettings(String host, int port, String tokenEnv, List<URI> metrics, int maxResults, int maxBatches) {

    public static final int MAX_RESULTS_CEILING = 5_000_000;
    public static final int MAX_BATCHES_CEILING = 100_000;
    public static final int MAX_METRICS_ENDPOINTS = 64;

    public DashboardSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("dashboard.host must be set, e.g. 127.0.0.1");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("dashboard.port must be 0..65535 (0 = any free port), got " + port);
        }
        if (tokenEnv == null || !tokenEnv.matches("[A-Za-z_][A-Za-z0-9_]{0,127}")) {
            throw new IllegalArgumentException("dashboard.token-env must name an environment variable, got '" + tokenEnv + "'");
        }
        metrics = List.copyOf(metrics);
        if (metrics.size() > MAX_METRICS_ENDPOINTS) {
            throw new IllegalArgumentException("dashboard.metrics may list at most " + MAX_METRICS_ENDPOINTS + " endpoints, got "
                    + metrics.size());
        }
        for (URI uri : metrics) {
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException("dashboard.metrics must be http(s)://host:port/metrics URLs, got '" + uri + "'");
            }
        }
        if (maxResults < 1_000 || maxResults > MAX_RESULTS_CEILING) {
            throw new IllegalArgumentException("dashboard.max-results must be 1000.." + MAX_RESULTS_CEILING + ", got " + maxResults);
        }
        if (maxBatches < 10 || maxBatches > MAX_BATCHES_CEILING) {
            throw new IllegalArgumentException("dashboard.max-batches must be 10.." + MAX_BATCHES_CEILING + ", got " + maxBatches);
        }
    }

    /** Whether {@code host} is this machine only, where the dashboard may run without a token. */
    public static boolean loopback(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
    }

    public DashboardSettings withHost(String value) {
        return new DashboardSettings(value, port, tokenEnv, metrics, maxResults, maxBatches);
    }

    public DashboardSettings withPort(int value) {
        return new DashboardSettings(host, value, tokenEnv, metrics, maxResults, maxBatches);
    }

    public DashboardSettings withMetrics(List<URI> value) {
        return new DashboardSettings(host, port, tokenEnv, value, maxResults, maxBatches);
    }

    public DashboardSettings withLimits(int results, int batches) {
        return new DashboardSettings(host, port, tokenEnv, metrics, results, batches);
    }
}
