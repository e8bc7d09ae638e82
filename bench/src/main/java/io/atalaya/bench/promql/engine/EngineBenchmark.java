package io.atalaya.bench.promql.engine;

import io.atalaya.model.Labels;
import io.atalaya.promql.engine.Engine;
import io.atalaya.promql.engine.EngineOptions;
import io.atalaya.promql.engine.Matrix;
import io.atalaya.promql.engine.Query;
import io.atalaya.promql.engine.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Range queries over a node_exporter-shaped data set held in memory: 100 hosts × 4 CPUs × 8 modes of
 * {@code node_cpu_seconds_total} (3,200 series) scraped every 15 s for 75 minutes, plus 100 memory gauges; for the
 * dashboard queries of the end-to-end query benchmark ({@code dashboard*}), the CPU counters go on to 6 h 15 min
 * and 100 {@code node_load1} gauges cover 2 h 15 min. Most queries cover one hour at a 15 s step (241 steps), as a
 * dashboard would.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class EngineBenchmark {
    private static final String[] MODES = {"idle", "user", "system", "iowait", "irq", "softirq", "steal", "nice"};
    private static final long SCRAPE_MS = 15_000;
    private static final long DATA_MS = 75 * 60_000;
    private static final long START = 15 * 60_000;
    private static final long END = START + 3600_000;
    /** The CPU counters run this long, for the 6 h query (the other queries read only their first 75 minutes). */
    private static final long CPU_DATA_MS = 6 * 3600_000L + 15 * 60_000;
    private static final long LOAD_DATA_MS = 2 * 3600_000L + 15 * 60_000;

    private ArrayQueryable store;
    private Engine engine;

    @Setup(Level.Trial)
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(42); // fixed seed: the same data every run
        int points = (int) (DATA_MS / SCRAPE_MS) + 1;
        int cpuPoints = (int) (CPU_DATA_MS / SCRAPE_MS) + 1;
        int loadPoints = (int) (LOAD_DATA_MS / SCRAPE_MS) + 1;
        List<ArrayQueryable.ArraySeries> series = new ArrayList<>();
        for (int h = 0; h < 100; h++) {
            String instance = "host-" + h + ":9100";
            for (int cpu = 0; cpu < 4; cpu++) {
                for (String mode : MODES) {
                    long[] ts = new long[cpuPoints];
                    double[] vs = new double[cpuPoints];
                    double v = rnd.nextDouble() * 1e6;
                    for (int i = 0; i < cpuPoints; i++) {
                        ts[i] = i * SCRAPE_MS + rnd.nextInt(200);
                        v += rnd.nextDouble() * 15;
                        vs[i] = v;
                    }
                    series.add(new ArrayQueryable.ArraySeries(Labels.of("__name__", "node_cpu_seconds_total",
                            "instance", instance, "job", "node", "cpu", Integer.toString(cpu), "mode", mode), ts, vs));
                }
            }
            long[] ts = new long[points];
            double[] vs = new double[points];
            for (int i = 0; i < points; i++) {
                ts[i] = i * SCRAPE_MS;
                vs[i] = 8e9 + rnd.nextDouble() * 4e9;
            }
            series.add(new ArrayQueryable.ArraySeries(Labels.of("__name__", "node_memory_MemAvailable_bytes",
                    "instance", instance, "job", "node"), ts, vs));
            long[] lts = new long[loadPoints];
            double[] lvs = new double[loadPoints];
            double load = 0.6;
            for (int i = 0; i < loadPoints; i++) {
                lts[i] = i * SCRAPE_MS + rnd.nextInt(200);
                load = Math.max(0, load + (rnd.nextDouble() - 0.5) * 0.1);
                lvs[i] = load;
            }
            series.add(new ArrayQueryable.ArraySeries(Labels.of("__name__", "node_load1",
                    "instance", instance, "job", "node"), lts, lvs));
        }
        store = new ArrayQueryable(series);
        engine = new Engine(EngineOptions.defaults());
    }

    private Matrix range(String q) {
        return range(q, START, END, SCRAPE_MS);
    }

    private Matrix range(String q, long start, long end, long step) {
        try (Query query = engine.newRangeQuery(store, q, start, end, step)) {
            return (Matrix) query.exec().value();
        }
    }

    @Benchmark
    public Matrix sumByInstanceRate() {
        return range("sum by (instance) (rate(node_cpu_seconds_total[5m]))");
    }

    @Benchmark
    public Matrix cpuBusyRatio() {
        return range("1 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[5m]))");
    }

    @Benchmark
    public Matrix topkMemory() {
        return range("topk(5, avg_over_time(node_memory_MemAvailable_bytes[10m]))");
    }

    @Benchmark
    public Matrix quantileOverInstances() {
        return range("quantile(0.9, sum by (instance) (rate(node_cpu_seconds_total{mode!=\"idle\"}[5m])))");
    }

    // ---- the five queries of the end-to-end query benchmark (BenchMain query) ------------------------------

    @Benchmark
    public Matrix dashboardRateByInstance6h() {
        return range("sum by (instance) (rate(node_cpu_seconds_total[5m]))", 15 * 60_000, CPU_DATA_MS, 90_000);
    }

    @Benchmark
    public Matrix dashboardTopkMemory() {
        return range("topk(5, node_memory_MemAvailable_bytes)");
    }

    @Benchmark
    public Matrix dashboardAvgOverTimeLoad() {
        // full one-hour windows: the load gauges start one hour before the query range
        return range("avg_over_time(node_load1[1h])", 75 * 60_000, LOAD_DATA_MS, SCRAPE_MS);
    }

    @Benchmark
    public Value dashboardSingleHostInstantRate() {
        try (Query query = engine.newInstantQuery(store, "rate(node_cpu_seconds_total{instance=\"host-42:9100\"}[5m])", END)) {
            return query.exec().value();
        }
    }
}
