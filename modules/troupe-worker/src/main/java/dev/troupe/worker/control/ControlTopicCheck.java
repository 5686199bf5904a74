package dev.troupe.worker.control;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Whether the operators' topic exists: without it the worker runs without cancel and pause, and says so. */
public final class ControlTopicCheck {

    private static final Logger log = LoggerFactory.getLogger(ControlTopicCheck.class);

    private ControlTopicCheck() {
    }

    public static boolean exists(Admin admin, String topic, Duration timeout) {
        try {
            boolean exists = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS).contains(topic);
            if (!exists) {
                log.warn("topic {} (topics.control) does not exist: troupe cancel, pause and resume do not reach this worker;"
                        + " create it with: troupe topics create", topic);
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
