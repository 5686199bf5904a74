package dev.troupe.worker;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** One scrape of a worker's {@code /metrics} over HTTP, read as Prometheus reads the text format. */
final class Scrape {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One sample line: its series name, its labels and its value. */
    record Sample(String name, Map<String, String> labels, double value) {
        boolean has(Map<String, String> wanted) {
            return labels.entrySet().containsAll(wanted.entrySet());
        }
    }

    final String text;
    /** Metric family name to its {@code # HELP} text (empty when the line has none). */
    final Map<String, String> help = new LinkedHashMap<>();
    /** Metric family name to its {@code # TYPE}. */
    final Map<String, String> types = new LinkedHashMap<>();
    final List<Sample> samples = new ArrayList<>();

    private Scrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                String rest = line.substring("# HELP ".length());
                int space = rest.indexOf(' ');
                help.put(space < 0 ? rest : rest.substring(0, space), space < 0 ? "" : rest.substring(space + 1).trim());
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring("# TYPE ".length()).split(" ");
                types.put(parts[0], parts[1]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(sample(line));
            }
        }
    }

    /** Scrapes the worker's ops endpoint; fails the test on anything but a 200. */
    static Scrape of(Worker worker) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.opsPort() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + response.statusCode() + ": " + response.body());
        }
        return new Scrape(response.body());
    }

    /** Every series name that has a sample ({@code x_bucket}, {@code x_sum}, {@code x_count} for a histogram x). */
    Set<String> seriesNames() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    /** The samples of {@code name} whose labels include {@code labels} (pairs: name, value, ...). */
    List<Sample> find(String name, String... labels) {
        Map<String, String> wanted = pairs(labels);
        return samples.stream().filter(s -> s.name().equals(name) && s.has(wanted)).toList();
    }

    /** The value of the one sample of {@code name} with {@code labels}; empty when there is none. */
    Optional<Double> value(String name, String... labels) {
        List<Sample> found = find(name, labels);
        if (found.size() > 1) {
            throw new AssertionError(found.size() + " samples of " + name + " match " + List.of(labels) + ": " + found);
        }
        return found.stream().findFirst().map(Sample::value);
    }

    double sum(String name, String... labels) {
        return find(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    private static Map<String, String> pairs(String... labels) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        return wanted;
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        int valueAt;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String key = line.substring(i, eq).trim();
                StringBuilder value = new StringBuilder();
                int j = eq + 2; // past ="
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char escaped = line.charAt(++j);
                        value.append(escaped == 'n' ? '\n' : escaped);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(key, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            valueAt = i + 1;
        } else {
            name = line.substring(0, space);
            valueAt = space;
        }
        String[] rest = line.substring(valueAt).trim().split(" ");
        String value = rest[0].replace("+Inf", "Infinity").replace("-Inf", "-Infinity");
        return new Sample(name, labels, Double.parseDouble(value));
    }
}
