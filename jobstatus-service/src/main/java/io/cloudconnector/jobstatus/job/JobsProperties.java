package io.cloudconnector.jobstatus.job;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the job-status service ({@code connector.jobstatus.*}).
 *
 * @param retention how long a finished job stays visible (and in the table, through DynamoDB TTL)
 * @param cacheSize how many jobs the in-memory cache holds (and loads on start); the least recently used
 *     leave first
 * @param refreshAfter how old a cached running job may get before a read re-reads it from the table,
 *     in the background (longer for a job that has not changed for a while, see {@code JobCache}): it
 *     bounds how stale a job is on a task that did not handle its events (several tasks share one inbox,
 *     each event reaches one of them)
 * @param heartbeat how often an idle event stream sends a comment, so that proxies keep it open and
 *     a client that left is noticed
 * @param listSync how often the task re-reads the jobs created in the last {@code list-sync-window} from the
 *     listing index (and the running jobs it lists from the table when due), so that its lists, which it serves
 *     from memory, show what other tasks applied: it bounds how long a job another task created is missing from
 *     this task's lists
 * @param listSyncWindow how far back, by creation time, that re-read goes
 * @param listReload how often that re-read goes over every job the lists hold in memory instead: a job whose creation
 *     reaches another task later than {@code list-sync-window} after the job was created shows in this task's lists
 *     within this
 */
@ConfigurationProperties("connector.jobstatus")
record JobsProperties(
        @DefaultValue("30d") Duration retention,
        @DefaultValue("20000") int cacheSize,
        @DefaultValue("1s") Duration refreshAfter,
        @DefaultValue("15s") Duration heartbeat,
        @DefaultValue("5s") Duration listSync,
        @DefaultValue("15m") Duration listSyncWindow,
        @DefaultValue("10m") Duration listReload) {

    JobsProperties {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("connector.jobstatus.retention must be positive, not " + retention);
        }
        if (cacheSize < 1) {
            throw new IllegalArgumentException("connector.jobstatus.cache-size must be at least 1, not " + cacheSize);
        }
        if (refreshAfter.isNegative() || refreshAfter.isZero() || heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("connector.jobstatus.refresh-after and heartbeat must be positive");
        }
        if (listSync.isNegative()
                || listSync.isZero()
                || listSyncWindow.isNegative()
                || listSyncWindow.isZero()
                || listReload.isNegative()
                || listReload.isZero()) {
            throw new IllegalArgumentException(
                    "connector.jobstatus.list-sync, list-sync-window and list-reload must be positive");
        }
    }
}
