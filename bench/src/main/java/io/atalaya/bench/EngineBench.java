package io.atalaya.bench;

import io.atalaya.bench.workload.NodeExporterWorkload;
import io.atalaya.storage.Appender;
import io.atalaya.tsdb.Tsdb;
import io.atalaya.tsdb.TsdbOptions;
import io.atalaya.tsdb.block.BlockMeta;
import io.atalaya.wal.SyncPolicy;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Load driver: drives a {@link Tsdb} with the node_exporter workload and prints appended samples/s, heap and
 * off-heap bytes per active series, and bytes per sample on disk once the head has been persisted and compacted.
 *
 * <pre>
 * java -cp bench/target/atalaya-benchmarks.jar io.atalaya.bench.EngineBench --hosts 100 --hours 3 --threads 2 --data /tmp/eb
 * </pre>
 * Options: {@code --hosts N} (default 100), {@code --hours H} of simulated 10 s scrapes (3), {@code --threads T}
 * appending threads, hosts split between them (2), {@code --data DIR} (a temporary directory), {@code --sync
 * GROUP|NONE|ALWAYS} (GROUP), {@code --batch-hosts N} hosts per commit (all hosts of a thread), {@code --histogram
 * N} prints the N classes whose live heap grew most while appending, per series (what the head's heap is made of),
 * {@code --close}: instead of persisting and compacting, close the store as a service stop does, report the close
 * time and the data directory's size before (WAL) and after the close (blocks), then the reopen time.
 */
public final class EngineBench {
    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private EngineBench() {
    }

    public static void main(String[] args) throws Exception {
        int hosts = 100;
        int hours = 3;
        int threads = 2;
        int batchHosts = 0;
        Path data = null;
        SyncPolicy sync = SyncPolicy.GROUP;
        int histogram = 0;
        boolean closeReport = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--hosts" -> hosts = Integer.parseInt(args[++i]);
                case "--hours" -> hours = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--data" -> data = Path.of(args[++i]);
                case "--sync" -> sync = SyncPolicy.valueOf(args[++i]);
                case "--batch-hosts" -> batchHosts = Integer.parseInt(args[++i]);
                case "--histogram" -> histogram = Integer.parseInt(args[++i]);
                case "--close" -> closeReport = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (use --hosts, --hours, --threads, --data, --sync, --batch-hosts, --histogram, --close)");
            }
        }
        if (data == null) {
            data = Files.createTempDirectory("engine-bench");
        }
        int perThread = (hosts + threads - 1) / threads;
        List<NodeExporterWorkload> loads = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t * perThread;
            int n = Math.min(perThread, hosts - first);
            if (n > 0) {
                loads.add(new NodeExporterWorkload(first, n, 42, NodeExporterWorkload.DEFAULT_START_MS,
                        NodeExporterWorkload.DEFAULT_INTERVAL_MS));
            }
        }
        long series = 0;
        for (NodeExporterWorkload w : loads) {
            series += w.seriesCount();
        }
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long heapBefore = usedHeapAfterGc(mem);
        Map<String, long[]> histogramBefore = histogram > 0 ? classHistogram() : null;
        int steps = (int) (hours * 3_600_000L / NodeExporterWorkload.DEFAULT_INTERVAL_MS);
        TsdbOptions opts = TsdbOptions.defaults().withWalSyncPolicy(sync).withMaintenanceInterval(Duration.ZERO);
        System.out.printf("hosts=%d series=%d hours=%d threads=%d sync=%s data=%s%n", hosts, series, hours,
                loads.size(), sync, data);
        try (Tsdb db = Tsdb.open(data, opts)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong appendCpuNanos = new AtomicLong();
            List<Thread> ts = new ArrayList<>();
            final int bh = batchHosts;
            long start = System.nanoTime();
            for (NodeExporterWorkload w : loads) {
                Thread th = new Thread(() -> {
                    try {
                        long cpu0 = THREADS.getCurrentThreadCpuTime();
                        drive(db, w, steps, bh <= 0 ? w.hosts() : bh);
                        appendCpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - cpu0);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "append-" + w.firstHost());
                ts.add(th);
                th.start();
            }
            for (Thread th : ts) {
                th.join();
            }
            long nanos = System.nanoTime() - start;
            if (failure.get() != null) {
                throw new IllegalStateException("append thread failed", failure.get());
            }
            long samples = series * steps;
            System.out.printf("appended %d samples in %.2f s: %.0f samples/s%n", samples, nanos / 1e9,
                    samples / (nanos / 1e9));
            // CPU time of the appending threads (workload generation included, WAL background threads not): unlike
            // wall time, it hardly moves when other processes compete for the cores.
            System.out.printf("append CPU: %.0f ns/sample in the appending threads (%.2f M samples/s per busy core)%n",
                    (double) appendCpuNanos.get() / samples, samples / (appendCpuNanos.get() / 1e9) / 1e6);
            long heap = usedHeapAfterGc(mem) - heapBefore;
            long offHeap = db.head().offHeapBytes();
            System.out.printf("head: %d series, heap %.0f B/series (measured after GC, workload excluded), "
                            + "off-heap %.0f B/series (slabs reserved; %.0f used), total %.0f B/series%n",
                    db.head().numSeries(), (double) heap / series, (double) offHeap / series,
                    (double) db.head().offHeapUsedBytes() / series, (double) (heap + offHeap) / series);
            if (histogram > 0) {
                printHistogramGrowth(histogramBefore, classHistogram(), histogram, series);
            }
            if (closeReport) {
                long before = directoryBytes(data);
                var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                long cpu0 = os.getProcessCpuTime();
                long c0 = System.nanoTime();
                db.close();
                long closeNanos = System.nanoTime() - c0;
                long closeCpu = os.getProcessCpuTime() - cpu0;
                long after = directoryBytes(data);
                System.out.printf("closed in %.2f s (process CPU %.2f s); data directory %d bytes before close (%.2f "
                                + "bytes/sample), %d bytes after (%.3f bytes/sample)%n", closeNanos / 1e9, closeCpu / 1e9,
                        before,
                        (double) before / samples, after, (double) after / samples);
                reopen(data, opts);
                return;
            }
            long t0 = System.nanoTime();
            int written = db.persistHead();
            db.blocks().compact();
            long blockSamples = 0;
            for (BlockMeta m : db.blocks().blocks()) {
                blockSamples += m.stats().numSamples();
            }
            if (written > 0 && blockSamples > 0) {
                System.out.printf("persisted %d block(s) in %.2f s: %d samples, %d bytes on disk: %.3f bytes/sample%n",
                        written, (System.nanoTime() - t0) / 1e9, blockSamples, db.blocks().sizeBytes(),
                        (double) db.blocks().sizeBytes() / blockSamples);
            } else {
                System.out.println("no block written (the head needs more than 3 h of data)");
            }
        }
        reopen(data, opts);
    }

    private static void reopen(Path data, TsdbOptions opts) {
        long r0 = System.nanoTime();
        try (Tsdb db = Tsdb.open(data, opts)) {
            var st = db.stats();
            System.out.printf("reopened in %.2f s: WAL replay restored %d samples of %d series (%.0f samples/s)%n",
                    (System.nanoTime() - r0) / 1e9, st.replayedSamples(), st.headSeries(),
                    st.replayedSamples() / Math.max(1e-9, st.replayMillis() / 1e3));
        }
    }

    private static void drive(Tsdb db, NodeExporterWorkload w, int steps, int batchHosts) {
        int per = w.seriesPerHost();
        double[] values = new double[w.seriesCount()];
        long[] refs = new long[w.seriesCount()];
        for (int s = 0; s < steps; s++) {
            w.nextScrape(values);
            for (int h0 = 0; h0 < w.hosts(); h0 += batchHosts) {
                Appender a = db.appender();
                int hEnd = Math.min(w.hosts(), h0 + batchHosts);
                for (int h = h0; h < hEnd; h++) {
                    long t = w.hostTimestamp(h);
                    for (int i = h * per, end = i + per; i < end; i++) {
                        refs[i] = a.append(refs[i], w.labels(i), t, values[i]);
                    }
                }
                a.commit();
            }
        }
    }

    /** The live heap's class histogram (as {@code jcmd GC.class_histogram}): class → {instances, bytes}. */
    private static Map<String, long[]> classHistogram() throws Exception {
        var server = ManagementFactory.getPlatformMBeanServer();
        var name = new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand");
        String out = (String) server.invoke(name, "gcClassHistogram", new Object[] {new String[0]},
                new String[] {String[].class.getName()});
        Map<String, long[]> m = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                m.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return m;
    }

    /** Prints the {@code rows} classes whose live bytes grew most while appending, per series. */
    private static void printHistogramGrowth(Map<String, long[]> before, Map<String, long[]> after, int rows,
                                             long series) {
        List<Map.Entry<String, long[]>> growth = new ArrayList<>();
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            growth.add(Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]}));
        }
        growth.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        System.out.println("heap growth by class: instances, bytes per series, class");
        for (int i = 0; i < Math.min(rows, growth.size()); i++) {
            long[] g = growth.get(i).getValue();
            System.out.printf("%10d %8.1f  %s%n", g[0], (double) g[1] / series, growth.get(i).getKey());
        }
    }

    /** Summed size of the regular files under {@code dir}. */
    private static long directoryBytes(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            long n = 0;
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(p)) {
                    n += Files.size(p);
                }
            }
            return n;
        }
    }

    private static long usedHeapAfterGc(MemoryMXBean mem) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return mem.getHeapMemoryUsage().getUsed();
    }
}
