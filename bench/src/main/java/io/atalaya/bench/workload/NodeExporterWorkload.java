package io.atalaya.bench.workload;

import io.atalaya.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic, seeded fleet of hosts whose series look like node_exporter's: about 150 series per host with
 * the metric names and labels ({@code instance}, {@code job="node"}, {@code cpu}, {@code mode}, {@code device},
 * {@code mountpoint}, {@code fstype}) that node_exporter exposes, scraped every 10 s.
 *
 * <p>Value shapes follow what real fleets show: CPU seconds rise in steps of 0.01 s (USER_HZ), byte and packet
 * counters rise by irregular integer steps, memory and filesystem gauges move in whole pages and often stay put,
 * sizes and limits are constant, many error/drop counters stay at 0, load averages wander with two decimals.
 *
 * <p>Generation is cheap and allocation-free: {@link #nextScrape(double[])} fills the values of every series for
 * the next scrape into the caller's array. Each host draws from its own random stream (seeded by the seed and the
 * host number), so a workload over hosts [a, b) produces exactly the values that the same hosts have in a larger
 * workload: threads can split a fleet by host ranges. Not thread-safe: one instance per thread.
 *
 * <p>Optionally ({@code requestHistogram}) each host also exposes one classic histogram, as an instrumented HTTP
 * server does: {@value #REQUEST_HISTOGRAM}{@code _bucket} for the {@link #REQUEST_BUCKETS} bounds and {@code +Inf},
 * then {@code _sum} and {@code _count}, labelled {@code handler="/api/v1/query"}. The histogram comes from a random
 * stream of its own, so the node_exporter series keep exactly their values with or without it (163 series per host
 * without, 177 with).
 */
public final class NodeExporterWorkload {
    /** 2023-11-14T22:13:20Z: a fixed start so that runs are comparable. */
    public static final long DEFAULT_START_MS = 1_700_000_000_000L;
    public static final long DEFAULT_INTERVAL_MS = 10_000L;

    // Value shapes.
    private static final byte CONSTANT = 0;
    private static final byte COUNTER_INT = 1;      // rises by ~lognormal integer steps around p1, spread p2
    private static final byte COUNTER_CENTS = 2;    // rises by steps of 0.01 around p1 per scrape, spread p2
    private static final byte GAUGE_PAGES = 3;      // random walk in steps of 4096, p1 = mean |step| in pages, p2 = P(change)
    private static final byte GAUGE_INT = 4;        // small integer gauge around p1 with spread p2
    private static final byte GAUGE_LOAD = 5;       // two decimals, mean-reverting around p1
    private static final byte COUNTER_MILLIS = 6;   // rises by steps of 0.001 around p1 per scrape
    private static final byte CLOCK = 7;            // node_time_seconds: interval in seconds plus ms jitter

    /** Name of the optional request-duration histogram family. */
    public static final String REQUEST_HISTOGRAM = "http_request_duration_seconds";
    /** Upper bounds of its finite buckets: the Prometheus client libraries' defaults. */
    public static final double[] REQUEST_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final int firstHost;
    private final int hosts;
    private final long startMs;
    private final long intervalMs;
    private final int seriesPerHost;
    private final Labels[] labels;
    private final byte[] shape;
    private final double[] p1;
    private final double[] p2;
    private final double[] value;
    private final long[] hostOffsetMs;
    private final SplittableRandom[] rnd;
    /** The request histogram of each host, or null when the workload has none. */
    private final RequestHistogram[] histograms;
    private int step = -1;

    /** A fleet of {@code hosts} hosts starting at {@link #DEFAULT_START_MS}, 10 s apart. */
    public static NodeExporterWorkload of(int hosts, long seed) {
        return new NodeExporterWorkload(0, hosts, seed, DEFAULT_START_MS, DEFAULT_INTERVAL_MS);
    }

    /**
     * @param firstHost  number of the first host (hosts are named {@code host-NNNNN:9100})
     * @param hosts      number of hosts
     * @param seed       seed of all random streams
     * @param startMs    timestamp of the first scrape of a host with phase 0
     * @param intervalMs scrape interval
     */
    public NodeExporterWorkload(int firstHost, int hosts, long seed, long startMs, long intervalMs) {
        this(firstHost, hosts, seed, startMs, intervalMs, false);
    }

    /**
     * As {@link #NodeExporterWorkload(int, int, long, long, long)}, with the request-duration histogram per host when
     * {@code requestHistogram} is true; its series come after the node_exporter ones of each host.
     */
    public NodeExporterWorkload(int firstHost, int hosts, long seed, long startMs, long intervalMs,
                                boolean requestHistogram) {
        if (hosts < 1 || firstHost < 0) {
            throw new IllegalArgumentException("need firstHost >= 0 and hosts >= 1, got " + firstHost + ", " + hosts);
        }
        this.firstHost = firstHost;
        this.hosts = hosts;
        this.startMs = startMs;
        this.intervalMs = intervalMs;
        List<SeriesSpec> template = template();
        int nodeSeries = template.size();
        if (requestHistogram) {
            for (String[] l : RequestHistogram.labelSets()) {
                template.add(new SeriesSpec(l, CONSTANT, 0, 0, false)); // shape unused: RequestHistogram keeps values
            }
        }
        this.seriesPerHost = template.size();
        int n = seriesPerHost * hosts;
        labels = new Labels[n];
        shape = new byte[n];
        p1 = new double[n];
        p2 = new double[n];
        value = new double[n];
        hostOffsetMs = new long[hosts];
        rnd = new SplittableRandom[hosts];
        histograms = requestHistogram ? new RequestHistogram[hosts] : null;
        for (int h = 0; h < hosts; h++) {
            int host = firstHost + h;
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + host);
            rnd[h] = r;
            hostOffsetMs[h] = r.nextLong(intervalMs); // hosts are scraped at different phases
            String instance = String.format("host-%05d:9100", host);
            double size = 1 + r.nextInt(8); // per-host scale: machines differ
            if (requestHistogram) {
                // A stream of its own (odd multiplier, other constant): the node series draw exactly as without it.
                histograms[h] = new RequestHistogram(
                        new SplittableRandom((seed * 0xD1B54A32D192ED03L + host) ^ 0x5DEECE66DL), size);
            }
            for (int s = 0; s < seriesPerHost; s++) {
                SeriesSpec spec = template.get(s);
                if (s >= nodeSeries) {
                    labels[h * seriesPerHost + s] = withInstance(spec.labels, instance);
                    continue; // values kept by histograms[h]
                }
                int i = h * seriesPerHost + s;
                labels[i] = withInstance(spec.labels, instance);
                shape[i] = spec.shape;
                double scale = spec.scaled ? size : 1;
                p1[i] = spec.p1 * scale;
                p2[i] = spec.p2;
                value[i] = initial(spec, scale, r);
            }
        }
    }

    private static Labels withInstance(String[] specLabels, String instance) {
        String[] nv = new String[specLabels.length + 4];
        nv[0] = "instance";
        nv[1] = instance;
        nv[2] = "job";
        nv[3] = "node";
        System.arraycopy(specLabels, 0, nv, 4, specLabels.length);
        return Labels.of(nv);
    }

    /** Whether each host carries the request-duration histogram. */
    public boolean hasRequestHistogram() {
        return histograms != null;
    }

    public int hosts() {
        return hosts;
    }

    public int firstHost() {
        return firstHost;
    }

    public int seriesPerHost() {
        return seriesPerHost;
    }

    public int seriesCount() {
        return labels.length;
    }

    public long intervalMs() {
        return intervalMs;
    }

    /** Labels of series {@code i} (0 ≤ i < seriesCount()); series of host h are [h·seriesPerHost, (h+1)·seriesPerHost). */
    public Labels labels(int i) {
        return labels[i];
    }

    /** Scrapes generated so far minus one (-1 before the first {@link #nextScrape}). */
    public int step() {
        return step;
    }

    /** Timestamp of series {@code i} at the current scrape. */
    public long timestamp(int i) {
        return startMs + hostOffsetMs[i / seriesPerHost] + (long) step * intervalMs;
    }

    /** Timestamp of host {@code h} (0-based within this workload) at the current scrape. */
    public long hostTimestamp(int h) {
        return startMs + hostOffsetMs[h] + (long) step * intervalMs;
    }

    /**
     * Advances every series by one scrape and writes the values into {@code dst[0, seriesCount())}.
     *
     * @return the scrape number (0 for the first)
     */
    public int nextScrape(double[] dst) {
        if (dst.length < value.length) {
            throw new IllegalArgumentException("need room for " + value.length + " values, got " + dst.length);
        }
        step++;
        int nodeSeries = histograms == null ? seriesPerHost : seriesPerHost - RequestHistogram.SERIES;
        if (step > 0) {
            for (int h = 0; h < hosts; h++) {
                SplittableRandom r = rnd[h];
                int end = h * seriesPerHost + nodeSeries;
                for (int i = h * seriesPerHost; i < end; i++) {
                    value[i] = advance(i, r);
                }
                if (histograms != null) {
                    histograms[h].advance();
                }
            }
        }
        if (histograms != null) {
            for (int h = 0; h < hosts; h++) {
                histograms[h].values(value, h * seriesPerHost + nodeSeries);
            }
        }
        System.arraycopy(value, 0, dst, 0, value.length);
        return step;
    }

    private double advance(int i, SplittableRandom r) {
        double v = value[i];
        switch (shape[i]) {
            case COUNTER_INT -> {
                double mean = p1[i];
                double x = mean * Math.exp(p2[i] * gaussian(r));
                return v + Math.floor(x);
            }
            case COUNTER_CENTS -> {
                double x = Math.max(0, p1[i] + p2[i] * p1[i] * gaussian(r));
                long cents = Math.round(v * 100) + Math.round(x * 100);
                return cents / 100.0;
            }
            case COUNTER_MILLIS -> {
                double x = Math.max(0, p1[i] + p2[i] * p1[i] * gaussian(r));
                long ms = Math.round(v * 1000) + Math.round(x * 1000);
                return ms / 1000.0;
            }
            case GAUGE_PAGES -> {
                if (r.nextDouble() >= p2[i]) {
                    return v;
                }
                long pages = Math.round(p1[i] * gaussian(r));
                return Math.max(0, v + pages * 4096.0);
            }
            case GAUGE_INT -> {
                if (r.nextDouble() >= 0.5) {
                    return v;
                }
                return Math.max(0, Math.round(p1[i] + p2[i] * gaussian(r)));
            }
            case GAUGE_LOAD -> {
                double next = v + 0.2 * (p1[i] - v) + p2[i] * gaussian(r);
                return Math.max(0, Math.round(next * 100) / 100.0);
            }
            case CLOCK -> {
                long ms = Math.round(v * 1000) + intervalMs + r.nextInt(5) - 2;
                return ms / 1000.0;
            }
            default -> {
                return v;
            }
        }
    }

    private static double gaussian(SplittableRandom r) {
        // Irwin-Hall approximation: cheap, deterministic, bounded tails.
        return r.nextDouble() + r.nextDouble() + r.nextDouble() + r.nextDouble() - 2.0;
    }

    private double initial(SeriesSpec spec, double scale, SplittableRandom r) {
        return switch (spec.shape) {
            case CONSTANT -> spec.p1 * (spec.scaled ? scale : 1);
            case COUNTER_INT -> Math.floor(spec.p1 * scale * (1000 + r.nextInt(100_000)));
            case COUNTER_CENTS -> Math.round(spec.p1 * scale * (1000 + r.nextInt(100_000)) * 100) / 100.0;
            case COUNTER_MILLIS -> Math.round(spec.p1 * scale * (1000 + r.nextInt(100_000)) * 1000) / 1000.0;
            case GAUGE_PAGES -> 4096.0 * Math.round(spec.p2 == 0 ? spec.p1 : scale * (1 << 18) * (0.2 + r.nextDouble()));
            case GAUGE_INT -> Math.round(spec.p1 * scale);
            case GAUGE_LOAD -> Math.round(spec.p1 * scale * 100) / 100.0;
            case CLOCK -> (DEFAULT_START_MS + r.nextInt(1000)) / 1000.0;
            default -> 0;
        };
    }

    private record SeriesSpec(String[] labels, byte shape, double p1, double p2, boolean scaled) {
    }

    private static void add(List<SeriesSpec> out, byte shape, double p1, double p2, boolean scaled, String... labels) {
        out.add(new SeriesSpec(labels, shape, p1, p2, scaled));
    }

    /** The ~150 series of one host, without instance/job. */
    private static List<SeriesSpec> template() {
        List<SeriesSpec> t = new ArrayList<>();
        String[] modes = {"idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"};
        double[] perScrape = {8.4, 0.05, 0, 0, 0.03, 0, 0.35, 1.1};
        for (int cpu = 0; cpu < 4; cpu++) {
            for (int m = 0; m < modes.length; m++) {
                byte shape = perScrape[m] == 0 ? CONSTANT : COUNTER_CENTS;
                add(t, shape, perScrape[m], 0.3, false, "__name__", "node_cpu_seconds_total", "cpu",
                        Integer.toString(cpu), "mode", modes[m]);
            }
            add(t, CONSTANT, 0, 0, false, "__name__", "node_cpu_guest_seconds_total", "cpu", Integer.toString(cpu), "mode", "nice");
            add(t, CONSTANT, 0, 0, false, "__name__", "node_cpu_guest_seconds_total", "cpu", Integer.toString(cpu), "mode", "user");
            add(t, COUNTER_CENTS, 1.6, 0.3, false, "__name__", "node_schedstat_running_seconds_total", "cpu", Integer.toString(cpu));
            add(t, COUNTER_CENTS, 0.2, 0.5, false, "__name__", "node_schedstat_waiting_seconds_total", "cpu", Integer.toString(cpu));
        }
        String[] memConst = {"MemTotal", "SwapTotal", "SwapFree", "Hugepagesize", "HugePages_Total", "CommitLimit", "VmallocTotal"};
        for (String m : memConst) {
            add(t, CONSTANT, 4096.0 * (1 << 20) * (m.startsWith("Huge") ? 0 : 1), 0, true, "__name__", "node_memory_" + m + "_bytes");
        }
        String[] memMoving = {"MemFree", "MemAvailable", "Buffers", "Cached", "Active", "Inactive", "Active_anon",
            "Inactive_anon", "Active_file", "Inactive_file", "Dirty", "Slab", "SReclaimable", "SUnreclaim",
            "PageTables", "Shmem", "Mapped", "Committed_AS", "AnonPages", "KernelStack"};
        double[] pChange = {0.9, 0.9, 0.3, 0.6, 0.8, 0.7, 0.8, 0.5, 0.6, 0.6, 0.9, 0.4, 0.4, 0.3, 0.3, 0.2, 0.3, 0.7, 0.8, 0.3};
        for (int k = 0; k < memMoving.length; k++) {
            add(t, GAUGE_PAGES, 40, pChange[k], true, "__name__", "node_memory_" + memMoving[k] + "_bytes");
        }
        add(t, CONSTANT, 0, 0, false, "__name__", "node_memory_Writeback_bytes");
        add(t, CONSTANT, 0, 0, false, "__name__", "node_memory_HardwareCorrupted_bytes");
        String[][] fs = {{"/", "/dev/vda1", "ext4"}, {"/boot", "/dev/vda15", "vfat"}, {"/var/lib", "/dev/vdb", "xfs"}};
        for (String[] f : fs) {
            String[] l = {"device", f[1], "fstype", f[2], "mountpoint", f[0]};
            add(t, CONSTANT, 50e9, 0, true, concat(l, "__name__", "node_filesystem_size_bytes"));
            add(t, GAUGE_PAGES, 8, 0.4, true, concat(l, "__name__", "node_filesystem_free_bytes"));
            add(t, GAUGE_PAGES, 8, 0.4, true, concat(l, "__name__", "node_filesystem_avail_bytes"));
            add(t, CONSTANT, 3_276_800, 0, true, concat(l, "__name__", "node_filesystem_files"));
            add(t, GAUGE_INT, 3_000_000, 30, true, concat(l, "__name__", "node_filesystem_files_free"));
            add(t, CONSTANT, 0, 0, false, concat(l, "__name__", "node_filesystem_readonly"));
            add(t, CONSTANT, 0, 0, false, concat(l, "__name__", "node_filesystem_device_error"));
        }
        for (String dev : new String[] {"eth0", "lo"}) {
            boolean eth = dev.equals("eth0");
            for (String dir : new String[] {"receive", "transmit"}) {
                add(t, COUNTER_INT, eth ? 60_000 : 4_000, 0.8, true, "__name__", "node_network_" + dir + "_bytes_total", "device", dev);
                add(t, COUNTER_INT, eth ? 80 : 12, 0.6, true, "__name__", "node_network_" + dir + "_packets_total", "device", dev);
                add(t, CONSTANT, 0, 0, false, "__name__", "node_network_" + dir + "_errs_total", "device", dev);
                add(t, CONSTANT, 0, 0, false, "__name__", "node_network_" + dir + "_drop_total", "device", dev);
            }
        }
        for (String dev : new String[] {"vda", "vdb"}) {
            add(t, COUNTER_INT, 3, 1.0, true, "__name__", "node_disk_reads_completed_total", "device", dev);
            add(t, COUNTER_INT, 25, 0.8, true, "__name__", "node_disk_writes_completed_total", "device", dev);
            add(t, COUNTER_INT, 12_288, 1.0, true, "__name__", "node_disk_read_bytes_total", "device", dev);
            add(t, COUNTER_INT, 204_800, 0.8, true, "__name__", "node_disk_written_bytes_total", "device", dev);
            add(t, COUNTER_MILLIS, 0.09, 0.7, false, "__name__", "node_disk_io_time_seconds_total", "device", dev);
            add(t, COUNTER_MILLIS, 0.004, 0.9, false, "__name__", "node_disk_read_time_seconds_total", "device", dev);
            add(t, COUNTER_MILLIS, 0.05, 0.8, false, "__name__", "node_disk_write_time_seconds_total", "device", dev);
            add(t, GAUGE_INT, 0, 0.6, false, "__name__", "node_disk_io_now", "device", dev);
        }
        add(t, GAUGE_LOAD, 0.6, 0.05, true, "__name__", "node_load1");
        add(t, GAUGE_LOAD, 0.6, 0.02, true, "__name__", "node_load5");
        add(t, GAUGE_LOAD, 0.6, 0.01, true, "__name__", "node_load15");
        add(t, COUNTER_INT, 25_000, 0.4, true, "__name__", "node_context_switches_total");
        add(t, COUNTER_INT, 18_000, 0.3, true, "__name__", "node_intr_total");
        add(t, COUNTER_INT, 30, 0.7, true, "__name__", "node_forks_total");
        add(t, GAUGE_INT, 2, 1.5, false, "__name__", "node_procs_running");
        add(t, GAUGE_INT, 0, 0.4, false, "__name__", "node_procs_blocked");
        add(t, CONSTANT, 1_699_000_123, 0, false, "__name__", "node_boot_time_seconds");
        add(t, CLOCK, 0, 0, false, "__name__", "node_time_seconds");
        add(t, GAUGE_INT, 256, 0, false, "__name__", "node_entropy_available_bits");
        add(t, GAUGE_INT, 2_400, 40, true, "__name__", "node_filefd_allocated");
        add(t, CONSTANT, 9_223_372_036_854_775_807.0, 0, false, "__name__", "node_filefd_maximum");
        add(t, GAUGE_INT, 40, 5, true, "__name__", "node_sockstat_TCP_inuse");
        add(t, GAUGE_INT, 300, 10, true, "__name__", "node_sockstat_sockets_used");
        add(t, COUNTER_INT, 6, 0.8, true, "__name__", "node_netstat_Tcp_ActiveOpens");
        add(t, COUNTER_INT, 4, 0.8, true, "__name__", "node_netstat_Tcp_PassiveOpens");
        add(t, COUNTER_INT, 1, 1.2, false, "__name__", "node_netstat_Tcp_RetransSegs");
        add(t, COUNTER_INT, 9_000, 0.6, true, "__name__", "node_vmstat_pgfault");
        add(t, COUNTER_INT, 1, 1.5, false, "__name__", "node_vmstat_pgmajfault");
        add(t, CONSTANT, 0, 0, false, "__name__", "node_vmstat_pswpin");
        add(t, CONSTANT, 0, 0, false, "__name__", "node_vmstat_pswpout");
        add(t, GAUGE_INT, 180, 8, true, "__name__", "node_nf_conntrack_entries");
        add(t, CONSTANT, 262_144, 0, false, "__name__", "node_nf_conntrack_entries_limit");
        add(t, GAUGE_INT, 3, 0, false, "__name__", "node_arp_entries", "device", "eth0");
        add(t, CONSTANT, 0, 0, false, "__name__", "node_timex_offset_seconds");
        add(t, CONSTANT, 1, 0, false, "__name__", "node_timex_sync_status");
        add(t, CONSTANT, 1, 0, false, "__name__", "node_uname_info", "machine", "x86_64", "release", "6.1.0-18-amd64", "sysname", "Linux");
        add(t, CONSTANT, 1, 0, false, "__name__", "node_exporter_build_info", "goversion", "go1.22.5", "version", "1.8.2");
        add(t, CONSTANT, 1, 0, false, "__name__", "up");
        add(t, GAUGE_LOAD, 0.02, 0.004, false, "__name__", "scrape_duration_seconds");
        add(t, CONSTANT, 152, 0, false, "__name__", "scrape_samples_scraped");
        add(t, CONSTANT, 152, 0, false, "__name__", "scrape_series_added");
        return t;
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(b, 0, out, 0, b.length);
        System.arraycopy(a, 0, out, b.length, a.length);
        return out;
    }
}
