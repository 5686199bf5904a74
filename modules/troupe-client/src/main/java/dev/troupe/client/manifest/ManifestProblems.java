package dev.troupe.client.manifest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The problems of one manifest, in manifest order, each reported once, at most a few per place: a bad
 * motion would otherwise be reported once for every character that dances it.
 */
final class ManifestProblems {

    static final int MAX_PER_LOCATION = 3;
    private static final Pattern NUMBER_OR_TEXT = Pattern.compile("\\d{1,18}|\\D+");

    private final Map<String, List<String>> byLocation = new LinkedHashMap<>();
    private final Map<String, Set<String>> hidden = new HashMap<>();

    ManifestProblems(List<ManifestProblem> earlier) {
        earlier.forEach(p -> add(p.location(), p.message()));
    }

    void add(String location, String message) {
        List<String> messages = byLocation.computeIfAbsent(location, key -> new ArrayList<>());
        if (messages.contains(message)) {
            return;
        }
        if (messages.size() < MAX_PER_LOCATION) {
            messages.add(message);
        } else {
            hidden.computeIfAbsent(location, key -> new HashSet<>()).add(message);
        }
    }

    boolean isEmpty() {
        return byLocation.isEmpty();
    }

    /** In manifest order: by location, list indexes compared as numbers. */
    List<ManifestProblem> list() {
        List<ManifestProblem> list = new ArrayList<>();
        List<String> locations = new ArrayList<>(byLocation.keySet());
        locations.sort(ManifestProblems::compareLocations);
        locations.forEach(location -> {
            List<String> messages = byLocation.get(location);
            messages.forEach(message -> list.add(new ManifestProblem(location, message)));
            Set<String> more = hidden.get(location);
            if (more != null) {
                list.add(new ManifestProblem(location, "... and " + more.size() + " more like these"));
            }
        });
        return list;
    }

    /** Natural order: {@code characters[2]} before {@code characters[10]}. */
    static int compareLocations(String a, String b) {
        Matcher left = NUMBER_OR_TEXT.matcher(a);
        Matcher right = NUMBER_OR_TEXT.matcher(b);
        while (left.find() && right.find()) {
            String x = left.group();
            String y = right.group();
            boolean numbers = Character.isDigit(x.charAt(0)) && Character.isDigit(y.charAt(0));
            int order = numbers ? Long.compare(Long.parseLong(x), Long.parseLong(y)) : x.compareTo(y);
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(a.length(), b.length());
    }
}
