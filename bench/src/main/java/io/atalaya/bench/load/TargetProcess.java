package io.atalaya.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Linux facts about the server under test: its peak resident set, its CPU time, stopping it, and its data directory's
 * size.
 */
final class TargetProcess {
    private TargetProcess() {
    }

    /** The process's peak resident set size (VmHWM in /proc/PID/status), in bytes. */
    static long peakRssBytes(long pid) throws IOException {
        return statusKb(pid, "VmHWM:") * 1024;
    }

    /** The process's current resident set size (VmRSS), in bytes. */
    static long rssBytes(long pid) throws IOException {
        return statusKb(pid, "VmRSS:") * 1024;
    }

    /** CPU time the process has used so far, user and system, in nanoseconds (the kernel counts it in 10 ms ticks). */
    static long cpuNanos(long pid) throws IOException {
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toNanos)
                .orElseThrow(() -> new IOException("no CPU time for process " + pid + " (has it exited?)"));
    }

    /** Most CPU an idle server may use: 5 % of one core over {@link #IDLE_WINDOW}. */
    static final double IDLE_CORES = 0.05;
    static final Duration IDLE_WINDOW = Duration.ofSeconds(5);

    /**
     * Waits until the process has used less than {@link #IDLE_CORES} of one core over the last {@link #IDLE_WINDOW},
     * or until {@code max} has passed: the background work a backfill leaves (flushes, block cuts, merges) is done.
     *
     * @return whether it went idle within {@code max}
     */
    static boolean awaitIdle(long pid, Duration max) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            long cpu0 = cpuNanos(pid);
            long t0 = System.nanoTime();
            Thread.sleep(IDLE_WINDOW);
            double cores = (double) (cpuNanos(pid) - cpu0) / (System.nanoTime() - t0);
            if (cores < IDLE_CORES) {
                return true;
            }
        }
        return false;
    }

    private static long statusKb(long pid, String key) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
        for (String line : lines) {
            if (line.startsWith(key)) {
                String v = line.substring(key.length()).trim();
                if (!v.endsWith("kB")) {
                    throw new IOException("unexpected unit in /proc/" + pid + "/status: " + line);
                }
                return Long.parseLong(v.substring(0, v.length() - 2).trim());
            }
        }
        throw new IOException("no " + key + " in /proc/" + pid + "/status");
    }

    /**
     * Sends SIGTERM to the process and waits until it has exited, so that it has flushed what it keeps in memory.
     *
     * @throws TimeoutException if it is still running after {@code timeout}
     */
    static void stop(long pid, Duration timeout) throws TimeoutException, InterruptedException {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return;
        }
        if (!handle.get().destroy()) {
            throw new IllegalStateException("could not send SIGTERM to process " + pid);
        }
        try {
            handle.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("waiting for process " + pid + " to exit failed", e);
        }
    }

    /** Sum of the sizes of the regular files under {@code dir} (apparent sizes, as {@code du --apparent-size}). */
    static long directoryBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
