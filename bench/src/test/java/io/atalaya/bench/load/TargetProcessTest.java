package io.atalaya.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TargetProcessTest {
    @Test
    void cpuTimeOfAProcessGrowsWithTheWorkItDoes() throws Exception {
        long pid = ProcessHandle.current().pid();
        long before = TargetProcess.cpuNanos(pid);
        long spin = System.nanoTime() + 300_000_000L;
        double sink = 0;
        while (System.nanoTime() < spin) {
            sink += Math.sqrt(sink + 1);
        }
        long after = TargetProcess.cpuNanos(pid);
        assertThat(sink).isPositive();
        // 300 ms of spinning on one thread; ticks are 10 ms and the machine may be busy, so only a lower bound
        assertThat(after - before).isGreaterThanOrEqualTo(100_000_000L);
    }

    @Test
    void aSleepingProcessIsIdleAndASpinningOneIsNot() throws Exception {
        Process sleeping = new ProcessBuilder("sleep", "30").start();
        Process spinning = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try {
            assertThat(TargetProcess.awaitIdle(sleeping.pid(), Duration.ofSeconds(20))).isTrue();
            long start = System.nanoTime();
            assertThat(TargetProcess.awaitIdle(spinning.pid(), Duration.ofSeconds(6))).isFalse();
            assertThat(System.nanoTime() - start).as("gives up after the last window past the limit")
                    .isBetween(5_000_000_000L, 15_000_000_000L);
        } finally {
            sleeping.destroyForcibly();
            spinning.destroyForcibly();
        }
    }

    @Test
    void aProcessThatIsGoneIsAClearError() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        assertThatThrownBy(() -> TargetProcess.cpuNanos(p.pid())).isInstanceOf(IOException.class)
                .hasMessageContaining("no CPU time for process " + p.pid());
    }
}
