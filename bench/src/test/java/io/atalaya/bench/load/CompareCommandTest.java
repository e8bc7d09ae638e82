package io.atalaya.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {
    private static final QuerySet.Query Q1 = new QuerySet.Query("q1", "up", 3600, 15, 300, false);
    private static final QuerySet.Query Q2 = new QuerySet.Query("q2", "sum(up)", 3600, 15, 300, false);
    private static final QuerySet.Selection QUERIES = new QuerySet.Selection(List.of(Q1, Q2), List.of());
    private static final CompareReport.Workload WORKLOAD = new CompareReport.Workload(10, 1, 360, 177, true,
            1_700_000_000_000L, 1_700_003_600_000L, Map.of());

    @Test
    void parsesTheDocumentedCommandLine() {
        CompareOptions o = CompareOptions.parse(new String[] {"--hosts", "100", "--hours", "6", "--rounds", "3",
                "--protocols", "remote-write,line-protocol"});
        assertThat(o.hosts()).isEqualTo(100);
        assertThat(o.scrapes()).isEqualTo(2160);
        assertThat(o.rounds()).isEqualTo(3);
        assertThat(o.protocols()).containsExactly(Protocol.REMOTE_WRITE, Protocol.LINE_PROTOCOL);
        assertThat(o.peers()).containsExactly(Peer.ATALAYA, Peer.VICTORIA_METRICS, Peer.PROMETHEUS);
        assertThat(o.atalayaCommand()).isEqualTo("./atalaya");
        assertThat(o.startMs()).isEqualTo(Long.MIN_VALUE);
        assertThat(o.requestHistogram()).isTrue();
        assertThat(o.dataSeconds()).isEqualTo(6 * 3600);
        assertThat(CompareOptions.parse(new String[] {"--no-request-histogram"}).requestHistogram()).isFalse();
        assertThat(o.settleSeconds()).isEqualTo(3);
        assertThat(o.settleIdleSeconds()).isZero();
        assertThat(o.queryWarmupSeconds()).isZero();
    }

    @Test
    void parsesTheSettledServerOptions() {
        CompareOptions o = CompareOptions.parse(new String[] {"--settle-seconds", "90", "--query-warmup", "200",
                "--query-warmup-seconds", "30", "--query-reps", "21", "--settle-idle-seconds", "600"});
        assertThat(o.settleSeconds()).isEqualTo(90);
        assertThat(o.settleIdleSeconds()).isEqualTo(600);
        assertThatThrownBy(() -> CompareOptions.parse(new String[] {"--settle-idle-seconds", "-5"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--settle-idle-seconds");
        assertThat(o.queryWarmup()).isEqualTo(200);
        assertThat(o.queryWarmupSeconds()).isEqualTo(30);
        assertThat(o.queryReps()).isEqualTo(21);
        assertThatThrownBy(() -> CompareOptions.parse(new String[] {"--settle-seconds", "-1"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--settle-seconds");
        assertThatThrownBy(() -> CompareOptions.parse(new String[] {"--query-warmup-seconds", "-1"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--query-warmup-seconds");
    }

    @Test
    void warmupStopsAtItsCallCountOrItsTimeLimit() {
        long now = System.nanoTime();
        QueryCommand.Warmup byCount = new QueryCommand.Warmup(3, Duration.ZERO);
        assertThat(byCount.due(2, now - 3_600_000_000_000L)).isTrue();
        assertThat(byCount.due(3, now)).isFalse();
        QueryCommand.Warmup capped = new QueryCommand.Warmup(1000, Duration.ofSeconds(10));
        assertThat(capped.due(5, now)).isTrue();
        assertThat(capped.due(5, now - 11_000_000_000L)).isFalse();
        assertThat(new QueryCommand.Warmup(0, Duration.ofSeconds(10)).due(0, now)).isFalse();
        assertThatThrownBy(() -> new QueryCommand.Warmup(-1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void movesAtalayaFirstAndRefusesRepeatsAndUnknownNames() {
        CompareOptions o = CompareOptions.parse(new String[] {"--peers", "prometheus, atalaya", "--work-dir", "/x",
                "--hours", "0.5"});
        assertThat(o.peers()).containsExactly(Peer.ATALAYA, Peer.PROMETHEUS);
        assertThat(o.workDir()).isEqualTo(Path.of("/x"));
        assertThat(o.scrapes()).isEqualTo(180);
        assertThatThrownBy(() -> CompareOptions.parse(new String[] {"--peers", "atalaya,atalaya"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> CompareOptions.parse(new String[] {"--peers", "influxdb"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown peer");
        assertThatThrownBy(() -> CompareOptions.parse(new String[] {"--protocols", ","}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
        assertThatThrownBy(() -> CompareOptions.parse(new String[] {"--rounds", "0"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--rounds");
        assertThatThrownBy(() -> CompareOptions.parse(new String[] {"--hosts", "2", "--connections", "3"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--connections");
        assertThatThrownBy(() -> CompareOptions.parse(new String[] {"--rounds"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> CompareOptions.parse(new String[] {"--bogus"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option --bogus");
    }

    @Test
    void prometheusTakesOnlyRemoteWrite() {
        assertThat(Peer.PROMETHEUS.accepts(Protocol.REMOTE_WRITE)).isTrue();
        assertThat(Peer.PROMETHEUS.accepts(Protocol.LINE_PROTOCOL)).isFalse();
        assertThat(Peer.VICTORIA_METRICS.accepts(Protocol.LINE_PROTOCOL)).isTrue();
        assertThat(Peer.ATALAYA.accepts(Protocol.LINE_PROTOCOL)).isTrue();
    }

    @Test
    void startsEachPeerOnLoopbackWithItsDataDirectoryAndAtalayaWithoutSelfScrape(@TempDir Path work)
            throws IOException {
        Path data = work.resolve("data");
        List<String> atalaya = Peer.ATALAYA.command("./atalaya", 19600, data, work);
        assertThat(atalaya).containsExactly("./atalaya", "server", "--config", work.resolve("atalaya.yml").toString(),
                "--listen", "127.0.0.1:19600", "--data", data.toString());
        assertThat(Files.readString(work.resolve("atalaya.yml"))).contains("self_interval: 0s");
        assertThat(Peer.VICTORIA_METRICS.command("vm", 19601, data, work))
                .contains("-storageDataPath=" + data, "-httpListenAddr=127.0.0.1:19601");
        assertThat(Peer.PROMETHEUS.command("prom", 19602, data, work))
                .contains("--storage.tsdb.path=" + data, "--web.listen-address=127.0.0.1:19602",
                        "--web.enable-remote-write-receiver");
        assertThat(Files.readString(work.resolve("prometheus.yml"))).contains("out_of_order_time_window: 1h");
    }

    @Test
    void aMissingBinaryIsReportedNotStarted(@TempDir Path work) {
        String[] why = new String[1];
        assertThat(Peer.ATALAYA.executable(work.resolve("no-such-launcher").toString(), why)).isEmpty();
        assertThat(why[0]).contains("not an executable file");
    }

    @Test
    void medianIgnoresNaNAndAveragesTheMiddlePair() {
        assertThat(CompareReport.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(CompareReport.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(CompareReport.median(new double[] {Double.NaN, 5})).isEqualTo(5);
        assertThat(CompareReport.median(new double[] {Double.NaN})).isNaN();
        assertThat(CompareReport.median(new double[0])).isNaN();
    }

    @Test
    void rendersMediansAndRatiosLeavingFailedRunsOut() {
        List<CompareReport.Run> runs = List.of(
                run(Peer.ATALAYA, Protocol.REMOTE_WRITE, 1, 1_000_000, 300_000_000, 10, null),
                run(Peer.VICTORIA_METRICS, Protocol.REMOTE_WRITE, 1, 500_000, 200_000_000, 20, null),
                run(Peer.ATALAYA, Protocol.REMOTE_WRITE, 2, 1_200_000, 320_000_000, 12, null),
                run(Peer.VICTORIA_METRICS, Protocol.REMOTE_WRITE, 2, 600_000, 240_000_000, 30, null),
                run(Peer.ATALAYA, Protocol.REMOTE_WRITE, 3, 1, 999_000_000, 999, "3 write errors, first: HTTP 500"));
        String md = CompareReport.render(WORKLOAD, List.of(Peer.ATALAYA, Peer.VICTORIA_METRICS),
                List.of(Protocol.REMOTE_WRITE), QUERIES, runs);
        assertThat(md).contains("| figure | atalaya | victoria-metrics | atalaya/victoria-metrics |");
        // medians of the two good rounds: 1.1 M vs 550 k samples/s, 310 vs 220 MB, 11 vs 25 ms
        assertThat(md).contains("| samples/s | 1100000 | 550000 | 2.00 |");
        assertThat(md).contains("| samples/s, second half of the load | 1210000 | 605000 | 2.00 |");
        assertThat(md).contains("| peak RSS (MB) | 310.0 | 220.0 | 1.41 |");
        assertThat(md).contains("| q1 (ms) | 11.0 | 25.0 | 0.44 |");
        assertThat(md).contains("| q2 (ms) | - | - | - |");
        assertThat(md).contains("| q1 server CPU (ms) | 16.5 | 37.5 | 0.44 |"); // 1.5x the latency in run()
        assertThat(md).contains("| disk bytes/sample | 0.500 | 0.500 | 1.00 |");
        // every run is listed raw, the failed one with its reason and load average
        assertThat(md).contains("| driver CPU while sending (s) | 2.0 | 2.0 | - |");
        assertThat(md).contains("| remote-write | 3 | atalaya | 1.50 | 1 | 1 | 0 | 2.0 | 0.5 | 999.0 |");
        assertThat(md).contains("3 write errors, first: HTTP 500 |");
        assertThat(md.lines().filter(l -> l.startsWith("| remote-write |")).count()).isEqualTo(5);
    }

    @Test
    void leavesPrometheusOutOfLineProtocolAndOmitsRatiosWithoutAtalaya() {
        List<CompareReport.Run> runs = List.of(
                run(Peer.VICTORIA_METRICS, Protocol.LINE_PROTOCOL, 1, 400_000, 200_000_000, 20, null),
                run(Peer.PROMETHEUS, Protocol.REMOTE_WRITE, 1, 300_000, 350_000_000, 20, null));
        String md = CompareReport.render(WORKLOAD, List.of(Peer.VICTORIA_METRICS, Peer.PROMETHEUS),
                List.of(Protocol.REMOTE_WRITE, Protocol.LINE_PROTOCOL), QUERIES, runs);
        assertThat(md).contains("### remote-write: medians\n\n| figure | victoria-metrics | prometheus |\n|---|---:|---:|");
        assertThat(md).contains("### line-protocol: medians\n\n| figure | victoria-metrics |\n|---|---:|");
        assertThat(md).contains("| samples/s | - | 300000 |");
        assertThat(md).doesNotContain("atalaya/");
    }

    @Test
    void queriesRunOnlyOnDataThatCoversWhatTheyEvaluate() {
        List<QuerySet.Query> all = QuerySet.all(42);
        QuerySet.Selection oneHour = QuerySet.select(all, 3600, true);
        assertThat(names(oneHour.run())).containsExactly("cpu_rate_by_instance_1h_15s", "topk5_mem_available_1h_15s",
                "avg_over_time_load1_1h_1h_15s", "single_host_cpu_rate_instant", "request_p90_1h_15s",
                "request_p90_by_instance_1h_15s");
        assertThat(oneHour.skipped()).extracting(s -> s.query().name() + ": " + s.reason()).contains(
                "cpu_rate_by_instance_6h_90s: needs 6 h of data, the workload has 1 h",
                "cpu_rate_by_instance_24h_5m: needs 24 h of data, the workload has 1 h",
                "avg_over_time_load1_24h_instant: needs 24 h of data, the workload has 1 h");

        // the figures of before: 6 h without the histogram run exactly the five queries they always ran
        QuerySet.Selection before = QuerySet.select(all, 6 * 3600, false);
        assertThat(names(before.run())).containsExactly("cpu_rate_by_instance_1h_15s", "cpu_rate_by_instance_6h_90s",
                "topk5_mem_available_1h_15s", "avg_over_time_load1_1h_1h_15s", "single_host_cpu_rate_instant");
        assertThat(before.skipped()).extracting(s -> s.reason()).contains("the workload has no request histogram");

        QuerySet.Selection day = QuerySet.select(all, 24 * 3600, true);
        assertThat(day.skipped()).isEmpty();
        assertThat(day.run()).hasSize(all.size());
        // just short of a day: every 24 h query waits for the full day
        assertThat(QuerySet.select(all, 24 * 3600 - 10, true).skipped()).extracting(s -> s.query().name())
                .containsExactly("cpu_rate_by_instance_24h_5m", "topk5_mem_available_24h_5m",
                        "avg_over_time_load1_24h_instant", "request_p90_24h_5m", "request_p90_by_instance_24h_5m");
    }

    @Test
    void theSingleHostQueryAsksForAHostTheFleetHas() {
        assertThat(QuerySet.queryHost(100)).isEqualTo(42);
        assertThat(QuerySet.queryHost(1000)).isEqualTo(42);
        assertThat(QuerySet.queryHost(10)).isEqualTo(9);
        assertThat(QuerySet.all(9).stream().filter(q -> q.name().equals("single_host_cpu_rate_instant")).findFirst()
                .orElseThrow().promql()).contains("host-00009:9100");
    }

    @Test
    void reportsTheWorkloadTheQueriesAndWhetherPeersAnsweredTheSameSeries() {
        QuerySet.Selection selection = new QuerySet.Selection(List.of(Q1, Q2), List.of(new QuerySet.Skipped(
                new QuerySet.Query("q24", "up", 86400, 300, 300, false), "needs 24 h of data, the workload has 1 h")));
        CompareReport.Workload workload = new CompareReport.Workload(10, 1, 360, 177, true, 1_700_000_000_000L,
                1_700_003_600_000L, Map.of(Protocol.REMOTE_WRITE, 10_620_000L));
        List<CompareReport.Run> runs = List.of(
                new CompareReport.Run(Peer.ATALAYA, Protocol.REMOTE_WRITE, 1, 1, 637_200, 1e6, 1e6, 0,
                        1_000_000_000L, 0, 1, 1, "212 s, idle", List.of(timing("q1", 10), timing("q2", 1)), null),
                new CompareReport.Run(Peer.VICTORIA_METRICS, Protocol.REMOTE_WRITE, 1, 1, 637_200, 1e6, 1e6, 0,
                        1_000_000_000L, 0, 1, 1, "95 s, idle", List.of(timing("q1", 10), timing("q2", 2)), null));
        String md = CompareReport.render(workload, List.of(Peer.ATALAYA, Peer.VICTORIA_METRICS),
                List.of(Protocol.REMOTE_WRITE), selection, runs);
        assertThat(md).contains("| 10 | 1 | 360 | 177 | 1770 | 637200 | yes | 2023-11-14T22:13:20Z "
                + "| 2023-11-14T23:13:20Z |");
        assertThat(md).contains("Encoded request bodies: remote-write 10.6 MB (16.7 B/sample).");
        assertThat(md).contains("| q1 | `up` | range 1 h, step 15 s, window 5 min | run |");
        assertThat(md).contains("| q24 | `up` | range 24 h, step 300 s, window 5 min | skipped: needs 24 h of data, "
                + "the workload has 1 h |");
        assertThat(md).doesNotContain("q24 (ms)");
        assertThat(md).contains("| q1 | 10 | 10 | yes |");
        assertThat(md).contains("| q2 | 1 | 2 | **NO** |");
        assertThat(md).contains("### Runs");
        assertThat(md).contains("| settled before queries |");
        assertThat(md).contains("| 212 s, idle |");
    }

    private static QueryCommand.Timing timing(String name, int series) {
        return new QueryCommand.Timing(name, "up", 1, 1, series, 2.5);
    }

    private static List<String> names(List<QuerySet.Query> queries) {
        return queries.stream().map(QuerySet.Query::name).toList();
    }

    private static CompareReport.Run run(Peer peer, Protocol protocol, int round, double samplesPerSecond,
                                         long peakRss, double q1Ms, String failure) {
        long samples = 1_000_000;
        return new CompareReport.Run(peer, protocol, round, 1.5, samples, samplesPerSecond, samplesPerSecond * 1.1, 0,
                2_000_000_000L,
                500_000_000L, peakRss, samples / 2, "3 s",
                List.of(new QueryCommand.Timing("q1", "up", q1Ms, q1Ms - 1, 100, q1Ms * 1.5)), failure);
    }
}
