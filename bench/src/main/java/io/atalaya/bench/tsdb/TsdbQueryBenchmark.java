package io.atalaya.bench.tsdb;

import io.atalaya.bench.workload.NodeExporterWorkload;
import io.atalaya.model.Matcher;
import io.atalaya.storage.Appender;
import io.atalaya.storage.Querier;
import io.atalaya.storage.SampleIterator;
import io.atalaya.storage.SelectHints;
import io.atalaya.storage.SeriesSet;
import io.atalaya.tsdb.Tsdb;
import io.atalaya.tsdb.TsdbOptions;
import io.atalaya.tsdb.block.FsUtil;
import io.atalaya.wal.SyncPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reading through the whole storage, as the query engine does: 6 h of the node_exporter workload in a Tsdb whose
 * older part was persisted to 2 h blocks (the head keeps the newest ~3 h, one chunk of each series straddling the
 * last block's end), then all samples of a metric over the whole span (blocks and head) or over the last hour
 * (head only). Each operation seeks to the start and reads every sample in range, as the evaluator does.
 * Run: {@code java -jar bench/target/atalaya-benchmarks.jar TsdbQueryBenchmark -f 1 -wi 2 -i 3}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TsdbQueryBenchmark {
    private static final long H = 3_600_000L;

    @Param("20")
    public int hosts;

    private Path dir;
    private Tsdb tsdb;
    private long start;
    private long end;

    private final List<Matcher> cpu = List.of(Matcher.equal("__name__", "node_cpu_seconds_total"));

    @Setup(Level.Trial)
    public void setup() throws IOException {
        dir = Files.createTempDirectory("atalaya-bench-tsdb");
        tsdb = Tsdb.open(dir, TsdbOptions.defaults().withWalSyncPolicy(SyncPolicy.NONE)
                .withMaintenanceInterval(Duration.ZERO));
        NodeExporterWorkload w = NodeExporterWorkload.of(hosts, 42);
        double[] v = new double[w.seriesCount()];
        long[] refs = new long[w.seriesCount()];
        start = Long.MAX_VALUE;
        end = Long.MIN_VALUE;
        int scrapes = (int) (6 * H / w.intervalMs());
        for (int s = 0; s < scrapes; s++) {
            w.nextScrape(v);
            Appender a = tsdb.appender();
            for (int i = 0; i < v.length; i++) {
                long t = w.timestamp(i);
                start = Math.min(start, t);
                end = Math.max(end, t);
                refs[i] = a.append(refs[i], w.labels(i), t, v[i]);
            }
            a.commit();
        }
        int blocks = tsdb.persistHead();
        System.out.println("\nblocks written: " + blocks + ", samples per full read: " + read(start, end, null));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        tsdb.close();
        FsUtil.deleteTree(dir);
    }

    private long read(long mint, long maxt, Blackhole bh) {
        long n = 0;
        try (Querier q = tsdb.querier(mint, maxt)) {
            SeriesSet set = q.select(false, SelectHints.range(mint, maxt), cpu);
            SampleIterator it = null;
            while (set.next()) {
                it = set.at().iterator(it);
                if (!it.seek(mint)) {
                    continue;
                }
                do {
                    if (it.timestamp() > maxt) {
                        break;
                    }
                    n++;
                    if (bh != null) {
                        bh.consume(it.value());
                    }
                } while (it.next());
            }
        }
        return n;
    }

    /** Every sample of the metric over 6 h: three blocks and the head, chained or merged per series. */
    @Benchmark
    public long allSixHours(Blackhole bh) {
        return read(start, end, bh);
    }

    /** The last hour: the head only (blocks do not overlap it). */
    @Benchmark
    public long lastHour(Blackhole bh) {
        return read(end - H, end, bh);
    }
}
