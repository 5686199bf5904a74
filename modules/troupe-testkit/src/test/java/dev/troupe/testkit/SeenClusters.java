package dev.troupe.testkit;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** The cluster handles the sharing tests were given in this JVM, by identity. */
final class SeenClusters {

    private static final Set<KafkaCluster> SEEN = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    private SeenClusters() {
    }

    /** Records the cluster and returns how many distinct ones were seen so far. */
    static int see(KafkaCluster cluster) {
        SEEN.add(cluster);
        return SEEN.size();
    }
}
