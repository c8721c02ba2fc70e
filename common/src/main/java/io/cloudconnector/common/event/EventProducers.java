package io.cloudconnector.common.event;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Who may produce each event type: the one table the inboxes ({@link EventCodec}), the bus's rules and the
 * roles' {@code events:PutEvents} conditions in {@code infra/cloudformation} follow (infra's tests compare the
 * templates with it). An event on the bus whose {@code source} is not one of its type's producers is a
 * forgery and is dropped; see {@code docs/events.md#producers}.
 *
 * <p>Plain JDK only (no Jackson, no Spring), so that the template tests can load it on its own.
 */
public final class EventProducers {

    /** What every connector source starts with; the rest is the service's name. */
    public static final String SOURCE_PREFIX = "cloudconnector.";

    /**
     * A process that publishes on the bus under its role. The services' Batch jobs publish under their
     * service's source, but their roles may publish only their own subset of its types.
     */
    public enum Producer {
        CATALOG("catalog", "CatalogTaskRole"),
        PROVISIONER("provisioner", "ProvisionerTaskRole"),
        JOBSTATUS("jobstatus", "JobstatusTaskRole"),
        BACKGROUND_JOBS("background-jobs", "BackgroundJobsTaskRole"),
        /** background-jobs' workers (Batch jobs of a vault: backups, restores, maintenance). */
        BACKGROUND_JOBS_WORKER("background-jobs", "WorkerJobRole"),
        INTEGRITY("integrity", "IntegrityTaskRole"),
        /** integrity's scanners (Batch jobs of a vault that read hostile disk images). */
        INTEGRITY_SCANNER("integrity", "ScannerJobRole"),
        INVENTORY("inventory", "InventoryTaskRole");

        private final String service;
        private final String role;

        Producer(String service, String role) {
            this.service = service;
            this.role = role;
        }

        /** The service whose source it publishes under, e.g. {@code background-jobs}. */
        public String service() {
            return service;
        }

        /** The EventBridge source, e.g. {@code cloudconnector.background-jobs}. */
        public String source() {
            return SOURCE_PREFIX + service;
        }

        /** The logical id of its IAM role in connector.yaml or vault.yaml. */
        public String role() {
            return role;
        }
    }

    /**
     * Types that never travel on the bus: they arrive in an inbox as a bare envelope, sent by whoever may
     * send to that queue (EventBridge Scheduler's {@code PolicyTick}s). No bus source may produce them.
     */
    public static final Set<String> DIRECT = Set.of("PolicyTick");

    private static final Set<Producer> JOB_RUNNERS_IN_SERVICES =
            EnumSet.of(Producer.CATALOG, Producer.BACKGROUND_JOBS, Producer.INTEGRITY, Producer.INVENTORY);

    private static final Map<String, Set<Producer>> PRODUCERS = table();

    private static final Set<String> SOURCES =
            Arrays.stream(Producer.values()).map(Producer::source).collect(Collectors.toUnmodifiableSet());

    private EventProducers() {}

    private static Map<String, Set<Producer>> table() {
        var table = new LinkedHashMap<String, Set<Producer>>();
        table.put("VaultCreated", EnumSet.of(Producer.CATALOG));
        table.put("VaultFailed", EnumSet.of(Producer.CATALOG));
        table.put("VaultDeleted", EnumSet.of(Producer.CATALOG));
        table.put("VaultMaintenanceRequested", EnumSet.of(Producer.CATALOG));
        table.put("VaultPruned", EnumSet.of(Producer.BACKGROUND_JOBS, Producer.BACKGROUND_JOBS_WORKER));
        table.put("RecoveryPointCreated", EnumSet.of(Producer.BACKGROUND_JOBS, Producer.BACKGROUND_JOBS_WORKER));
        // The catalog's DELETE and a vault's purge; background-jobs once an expiry is carried out.
        table.put("RecoveryPointDeleted", EnumSet.of(Producer.CATALOG, Producer.BACKGROUND_JOBS));
        table.put("RecoveryPointExpired", EnumSet.of(Producer.CATALOG));
        table.put("RecoveryPointScanned", EnumSet.of(Producer.INTEGRITY));
        // A restore test runs as a job of background-jobs, in the service (local mode) or in a worker.
        table.put("RecoveryPointRestoreTested", EnumSet.of(Producer.BACKGROUND_JOBS, Producer.BACKGROUND_JOBS_WORKER));
        // Only the scanners: the service stores the report and answers with RecoveryPointScanned.
        table.put("ScanReported", EnumSet.of(Producer.INTEGRITY_SCANNER));
        table.put("JobCreated", EnumSet.copyOf(JOB_RUNNERS_IN_SERVICES));
        table.put("JobProvisioning", EnumSet.of(Producer.PROVISIONER));
        // Every job owner starts, ends and fails its jobs (the catalog: a vault's creation), and so do the Batch jobs;
        // the catalog reports no progress, and only background-jobs and integrity cancel.
        table.put("JobStarted", jobRunners(Producer.BACKGROUND_JOBS_WORKER, Producer.INTEGRITY_SCANNER));
        table.put(
                "JobProgressed",
                EnumSet.of(
                        Producer.BACKGROUND_JOBS,
                        Producer.BACKGROUND_JOBS_WORKER,
                        Producer.INTEGRITY,
                        Producer.INTEGRITY_SCANNER,
                        Producer.INVENTORY));
        // A scanner's success is published by the integrity service once it has stored the report.
        table.put("JobSucceeded", jobRunners(Producer.BACKGROUND_JOBS_WORKER));
        table.put("JobFailed", jobRunners(Producer.BACKGROUND_JOBS_WORKER, Producer.INTEGRITY_SCANNER));
        table.put(
                "JobCancelled",
                EnumSet.of(Producer.BACKGROUND_JOBS, Producer.BACKGROUND_JOBS_WORKER, Producer.INTEGRITY));
        table.put("JobCancelRequested", EnumSet.of(Producer.JOBSTATUS));
        table.put("JobRequeueRequested", EnumSet.of(Producer.PROVISIONER));
        table.put("AssetChanged", EnumSet.of(Producer.INVENTORY));
        table.put("ProtectionStatusChanged", EnumSet.of(Producer.INVENTORY));
        table.put("PolicyChanged", EnumSet.of(Producer.BACKGROUND_JOBS));
        table.put("PolicyDeleted", EnumSet.of(Producer.BACKGROUND_JOBS));
        table.put("PolicyTick", EnumSet.noneOf(Producer.class));
        // Diagnostics: every service's web API, never its Batch jobs.
        table.put(
                "ConnectorPinged",
                EnumSet.of(
                        Producer.CATALOG,
                        Producer.PROVISIONER,
                        Producer.JOBSTATUS,
                        Producer.BACKGROUND_JOBS,
                        Producer.INTEGRITY,
                        Producer.INVENTORY));
        var frozen = new LinkedHashMap<String, Set<Producer>>();
        table.forEach((type, producers) -> frozen.put(type, Set.copyOf(producers)));
        return Map.copyOf(frozen);
    }

    private static Set<Producer> jobRunners(Producer... more) {
        var producers = EnumSet.copyOf(JOB_RUNNERS_IN_SERVICES);
        producers.addAll(Arrays.asList(more));
        return producers;
    }

    /** Every event type of the table, sorted. */
    public static Set<String> types() {
        return new TreeSet<>(PRODUCERS.keySet());
    }

    /** The producers of a type; empty for a type no one may publish on the bus, or one the table does not know. */
    public static Set<Producer> producersOf(String type) {
        return PRODUCERS.getOrDefault(type, Set.of());
    }

    /** The EventBridge sources that may carry a type, sorted. */
    public static Set<String> sourcesOf(String type) {
        return producersOf(type).stream().map(Producer::source).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The types a producer's role may publish, sorted. */
    public static Set<String> typesOf(Producer producer) {
        return PRODUCERS.entrySet().stream()
                .filter(entry -> entry.getValue().contains(producer))
                .map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The types a source may carry on the bus (every producer under it), sorted. */
    public static Set<String> typesOfSource(String source) {
        return Arrays.stream(Producer.values())
                .filter(producer -> producer.source().equals(source))
                .flatMap(producer -> typesOf(producer).stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every connector source, sorted. */
    public static Set<String> sources() {
        return new TreeSet<>(SOURCES);
    }

    /** Whether {@code source} is a connector service's. */
    public static boolean isConnectorSource(String source) {
        return SOURCES.contains(source);
    }

    /** Whether an event of {@code type} from {@code source} on the bus can be genuine. */
    public static boolean mayProduce(String source, String type) {
        return producersOf(type).stream().anyMatch(producer -> producer.source().equals(source));
    }
}
