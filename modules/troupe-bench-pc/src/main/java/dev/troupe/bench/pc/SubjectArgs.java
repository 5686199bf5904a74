package dev.troupe.bench.pc;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys of the bench's subject contract that this subject uses, parsed and range-checked from
 * {@code key=value} arguments. Keys it does not use ({@code dead-letter}, {@code state}, {@code budget},
 * {@code latency-ms}, any other) are accepted and ignored; an argument that is not {@code key=value}, a
 * key given twice, a missing key or a bad value is refused, every such problem named at once.
 */
record SubjectArgs(
        String bootstrap,
        String group,
        String jobsTopic,
        String resultsTopic,
        String givonHost,
        int givonPort,
        String apiKey,
        int concurrency,
        int httpPool,
        PollSchedule pollSchedule) {

    /** Largest concurrency and pool accepted: far above any bench row, low enough to be a typo guard. */
    static final int MAX_CONCURRENCY = 1_000_000;
    static final int MAX_TEXT = 1_000;

    /** A bad or missing key; the message names each and never contains the api key's value. */
    static final class BadArguments extends Exception {
        private static final long serialVersionUID = 1L;

        BadArguments(List<String> problems) {
            super(String.join("; ", problems));
        }
    }

    static SubjectArgs parse(String[] args) throws BadArguments {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                problems.add("not key=value: '" + clip(arg) + "'");
            } else if (values.putIfAbsent(arg.substring(0, eq), arg.substring(eq + 1)) != null) {
                problems.add("key given twice: " + clip(arg.substring(0, eq)));
            }
        }
        Reader r = new Reader(values, problems);
        String bootstrap = r.text("bootstrap");
        String group = r.text("group");
        String jobs = r.text("jobs");
        String results = r.text("results");
        URI givon = r.httpUri("givon");
        String apiKey = r.secret("api-key");
        int concurrency = r.positiveInt("concurrency");
        int httpPool = r.positiveInt("http-pool");
        double initial = r.positiveMillis("poll-initial-ms");
        double max = r.positiveMillis("poll-max-ms");
        double multiplier = r.number("poll-multiplier");
        if (problems.isEmpty() && max < initial) {
            problems.add("poll-max-ms (" + max + ") must be at least poll-initial-ms (" + initial + ")");
        }
        if (problems.isEmpty() && !(multiplier >= 1.0)) {
            problems.add("poll-multiplier must be at least 1.0, got " + multiplier);
        }
        if (!problems.isEmpty()) {
            throw new BadArguments(problems);
        }
        PollSchedule schedule;
        try {
            schedule = PollSchedule.ofMillis(initial, max, multiplier);
        } catch (IllegalArgumentException e) {
            throw new BadArguments(List.of(e.getMessage()));
        }
        return new SubjectArgs(bootstrap, group, jobs, results, givon.getHost(), givon.getPort(), apiKey, concurrency,
                httpPool, schedule);
    }

    /** Never prints the api key. */
    @Override
    public String toString() {
        return "SubjectArgs[bootstrap=" + bootstrap + ", group=" + group + ", jobs=" + jobsTopic + ", results=" + resultsTopic
                + ", givon=" + givonHost + ":" + givonPort + ", concurrency=" + concurrency + ", http-pool=" + httpPool
                + ", poll=" + pollSchedule + "]";
    }

    private static String clip(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }

    /** Reads one key at a time, adding a problem (never throwing) for each missing or bad value. */
    private record Reader(Map<String, String> values, List<String> problems) {

        private String raw(String key) {
            String value = values.get(key);
            if (value == null || value.isBlank()) {
                problems.add("missing key: " + key);
                return null;
            }
            if (value.length() > MAX_TEXT) {
                problems.add(key + " is longer than " + MAX_TEXT + " characters");
                return null;
            }
            return value.strip();
        }

        String text(String key) {
            return raw(key);
        }

        String secret(String key) {
            String value = values.get(key);
            if (value == null || value.isBlank()) {
                problems.add("missing key: " + key);
                return null;
            }
            if (value.length() > MAX_TEXT || value.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                problems.add(key + " must be at most " + MAX_TEXT + " printable ASCII characters (value not shown)");
                return null;
            }
            return value;
        }

        URI httpUri(String key) {
            String value = raw(key);
            if (value == null) {
                return null;
            }
            try {
                URI uri = new URI(value);
                if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1
                        || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
                    problems.add(key + " must be http://HOST:PORT, got '" + clip(value) + "'");
                    return null;
                }
                return uri;
            } catch (java.net.URISyntaxException e) {
                problems.add(key + " is not a URI: '" + clip(value) + "'");
                return null;
            }
        }

        int positiveInt(String key) {
            String value = raw(key);
            if (value == null) {
                return 0;
            }
            try {
                int n = Integer.parseInt(value);
                if (n >= 1 && n <= MAX_CONCURRENCY) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(key + " must be a whole number in [1, " + MAX_CONCURRENCY + "], got '" + clip(value) + "'");
            return 0;
        }

        double number(String key) {
            String value = raw(key);
            if (value == null) {
                return Double.NaN;
            }
            try {
                double d = Double.parseDouble(value);
                if (Double.isFinite(d)) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(key + " must be a finite decimal number, got '" + clip(value) + "'");
            return Double.NaN;
        }

        double positiveMillis(String key) {
            double d = number(key);
            if (!Double.isNaN(d) && !(d > 0 && d <= PollSchedule.MAX_MILLIS)) {
                problems.add(key + " must be > 0 and at most " + (long) PollSchedule.MAX_MILLIS + " ms, got " + d);
            }
            return d;
        }
    }
}
