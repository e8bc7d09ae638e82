package io.atalaya.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.atalaya.model.Labels;
import io.atalaya.tsdb.block.BlockMeta;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 durability: a child JVM ({@link CrashChild}) appends with the default WAL policy and prints every
 * acknowledged batch; it is killed with SIGKILL at a random moment, then the store is reopened without any repair
 * step. Every acknowledged batch must be there, complete; no batch may be partial or doubled; timestamps stay
 * unique. The same directory is reused across trials, so replay also crosses earlier crash tails.
 */
class CrashTest {
    @TempDir
    Path dir;

    @Test
    void acknowledgedBatchesSurviveKill9() throws Exception {
        run(20, 42);
    }

    @Test
    @Tag("soak")
    void acknowledgedBatchesSurviveKill9Soak() throws Exception {
        run(200, 7);
    }

    private void run(int trials, long seed) throws Exception {
        Random rnd = new Random(seed);
        long acknowledgedTotal = 0;
        long next = 0;
        for (int trial = 0; trial < trials; trial++) {
            // Every other trial the child closes the store after some batches and is killed during that close (or
            // just after it): close → reopen → append → close cycles with kill -9 at any point of the persist.
            boolean inClose = rnd.nextBoolean();
            long lastAck = inClose ? runChildAndKill(rnd.nextInt(120), next, rnd.nextInt(800) + 200)
                    : runChildAndKill(rnd.nextInt(300) + 50, next, -1);
            acknowledgedTotal = Math.max(acknowledgedTotal, lastAck + 1);
            next = verify(lastAck, trial) + 1;
        }
        assertThat(acknowledgedTotal).as("the child made progress").isGreaterThan(trials);
    }

    /**
     * Runs the child, kills it {@code killAfterMs} after it is ready (or, when {@code closeAfter} ≥ 0, after it starts
     * closing the store following {@code closeAfter} batches), returns the last acknowledged batch.
     */
    private long runChildAndKill(int killAfterMs, long firstBatch, int closeAfter) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), dir.toString(), Long.toString(firstBatch), Integer.toString(closeAfter));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        AtomicLong last = new AtomicLong(-1);
        AtomicLong ready = new AtomicLong(0);
        AtomicLong closing = new AtomicLong(0);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("ready")) {
                        ready.set(System.nanoTime());
                    } else if (line.equals("closing")) {
                        closing.set(System.nanoTime());
                    } else if (!line.isEmpty() && !line.equals("closed")) {
                        last.set(Long.parseLong(line.trim()));
                    }
                }
            } catch (IOException | NumberFormatException ignored) {
                // the pipe breaks when the child dies; a half-written line is not an acknowledgement
            }
        });
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ready.get() == 0 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(ready.get()).as("child started (alive=%s)", p.isAlive()).isNotZero();
        if (closeAfter >= 0) {
            while (closing.get() == 0 && p.isAlive() && System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(30)) {
                Thread.sleep(1);
            }
            assertThat(closing.get()).as("child reached its close").isNotZero();
        }
        Thread.sleep(killAfterMs);
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(Duration.ofSeconds(10));
        return last.get();
    }

    /** Checks the store and returns the newest batch in it (-1 if none). */
    private long verify(long lastAck, int trial) {
        long newest = -1;
        long distinct = 0;
        try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults().withMaintenanceInterval(Duration.ZERO))) {
            Map<Labels, List<String>> all = TsdbTesting.readAll(db, Long.MIN_VALUE, Long.MAX_VALUE);
            Set<Long> batchesOfFirst = null;
            for (int i = 0; i < CrashChild.SERIES; i++) {
                List<String> samples = all.getOrDefault(CrashChild.series(i), List.of());
                Set<Long> batches = new HashSet<>();
                List<Long> order = new ArrayList<>();
                for (String s : samples) {
                    long t = Long.parseLong(s.substring(0, s.indexOf('=')));
                    long b = t - CrashChild.BASE;
                    double v = Double.longBitsToDouble(Long.parseUnsignedLong(s.substring(s.indexOf('=') + 1), 16));
                    assertThat(v).as("value of batch %d", b).isEqualTo((double) b);
                    assertThat(batches.add(b)).as("batch %d appears once in series %d (trial %d)", b, i, trial).isTrue();
                    order.add(b);
                    newest = Math.max(newest, b);
                }
                for (long b = 0; b <= lastAck; b++) {
                    if (!batches.contains(b)) { // not assertThat(set).contains(b): AssertJ scans the set, O(n²)
                        throw new AssertionError("acknowledged batch " + b + " missing in series " + i + " (trial "
                                + trial + ")");
                    }
                }
                distinct += batches.size();
                if (batchesOfFirst == null) {
                    batchesOfFirst = batches;
                } else {
                    assertThat(batches).as("batches are atomic: series %d has the same batches as series 0", i)
                            .isEqualTo(batchesOfFirst);
                }
            }
            // Reads merge duplicates away; count what is stored: a replay that re-adds samples a block holds (a kill
            // after the close's block became durable, before the WAL was emptied) would show here.
            long stored = db.stats().replayedSamples();
            for (BlockMeta m : db.blocks().blocks()) {
                stored += m.stats().numSamples();
            }
            assertThat(stored).as("each sample stored once, in a block or replayed (trial %d)", trial)
                    .isEqualTo(distinct);
        }
        return newest;
    }
}
