package dev.troupe.worker.progress;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Whether the progress topic exists: without it the worker sends no progress events, and says so. */
public final class ProgressTopicCheck {

    private static final Logger log = LoggerFactory.getLogger(ProgressTopicCheck.class);

    private ProgressTopicCheck() {
    }

    public static boolean exists(Admin admin, String topic, Duration timeout) {
        try {
            boolean exists = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS).contains(topic);
            if (!exists) {
                log.warn("topic {} (topics.progress) does not exist: this worker sends no progress events and troupe watch"
                        + " shows no queued, parked or running counts; create it with: troupe topics create", topic);
            }
            return exists;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list the topics to find " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking for " + topic, e);
        }
    }
}
