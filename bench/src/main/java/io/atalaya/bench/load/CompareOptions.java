package io.atalaya.bench.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of {@link CompareCommand}, parsed from its command line.
 *
 * @param peers           the servers to run, in order (Atalaya first when present, since ratios are taken against it)
 * @param protocols       the write protocols to load with, in order
 * @param hosts           node_exporter hosts of the workload
 * @param hours           hours of 10 s scrapes
 * @param rounds          rounds; each round runs every peer once, back to back
 * @param connections     connections of the load driver
 * @param perRequest      samples per request
 * @param seed            workload seed
 * @param startMs         timestamp of the first scrape; {@code Long.MIN_VALUE}: so that the last scrape is now
 * @param maxIngestSeconds stop sending to one server after this many seconds
 * @param maxMinutes      the whole comparison stops (and reports what it has) after this many minutes
 * @param workDir         where the data directories, logs and Prometheus' configuration go
 * @param atalayaCommand  the launcher that starts Atalaya ({@code ./atalaya}); its JVM defaults apply
 * @param queryReps       timed repetitions of each query
 * @param queryWarmup     untimed repetitions of each query
 * @param queryWarmupSeconds stop a query's warm-up after this many seconds even if fewer than {@code queryWarmup}
 *                        calls were made (0: no limit), so that many warm-up calls stay affordable on a slow peer
 * @param settleSeconds   pause between the last write and the first query, the same for every peer: 3 s measures a
 *                        server just after a backfill; a minute or more lets each server finish the work a backfill
 *                        leaves behind (flushes, block cuts, merges), as a server in service would have
 * @param settleIdleSeconds after {@code settleSeconds}, wait up to this many more seconds until the server is idle
 *                        (under 5 % of one core over 5 s), the same rule for every peer; 0: do not wait
 * @param basePort        first loopback port; peer i listens on {@code basePort + i}
 * @param requestHistogram whether each host carries the request-duration histogram (14 more series per host, and
 *                        the histogram_quantile queries); {@code --no-request-histogram} leaves it out, which gives
 *                        the workload of the figures taken before it existed (163 series per host)
 */
record CompareOptions(List<Peer> peers, List<Protocol> protocols, int hosts, double hours, int rounds, int connections,
                      int perRequest, long seed, long startMs, long maxIngestSeconds, long maxMinutes, Path workDir,
                      String atalayaCommand, int queryReps, int queryWarmup, long queryWarmupSeconds,
                      long settleSeconds, long settleIdleSeconds, int basePort, boolean requestHistogram) {

    static final String USAGE = """
            BenchMain compare [--peers atalaya,victoria-metrics,prometheus] [--protocols remote-write,line-protocol]
                              [--hosts 100] [--hours 6] [--rounds 3] [--connections 4] [--samples-per-request 10000]
                              [--seed 42] [--start-ms T] [--max-seconds 1800] [--max-minutes 180]
                              [--work-dir /tmp/atalaya-compare] [--atalaya ./atalaya] [--query-reps 5]
                              [--query-warmup 1] [--query-warmup-seconds 0] [--settle-seconds 3]
                              [--settle-idle-seconds 0]
                              [--port 19600] [--no-request-histogram]""";

    static CompareOptions parse(String[] args) {
        List<Peer> peers = List.of(Peer.values());
        List<Protocol> protocols = List.of(Protocol.REMOTE_WRITE);
        int hosts = 100;
        double hours = 6;
        int rounds = 3;
        int connections = 4;
        int perRequest = 10_000;
        long seed = 42;
        long startMs = Long.MIN_VALUE;
        long maxSeconds = 1800;
        long maxMinutes = 180;
        Path workDir = Path.of(System.getProperty("java.io.tmpdir"), "atalaya-compare");
        String atalaya = "./atalaya";
        int reps = 5;
        int warmup = 1;
        long warmupSeconds = 0;
        long settleSeconds = 3;
        long settleIdleSeconds = 0;
        int port = 19600;
        boolean histogram = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--peers" -> peers = peers(IngestCommand.value(args, ++i));
                case "--protocols" -> protocols = protocols(IngestCommand.value(args, ++i));
                case "--hosts" -> hosts = Integer.parseInt(IngestCommand.value(args, ++i));
                case "--hours" -> hours = Double.parseDouble(IngestCommand.value(args, ++i));
                case "--rounds" -> rounds = Integer.parseInt(IngestCommand.value(args, ++i));
                case "--connections" -> connections = Integer.parseInt(IngestCommand.value(args, ++i));
                case "--samples-per-request" -> perRequest = Integer.parseInt(IngestCommand.value(args, ++i));
                case "--seed" -> seed = Long.parseLong(IngestCommand.value(args, ++i));
                case "--start-ms" -> startMs = Long.parseLong(IngestCommand.value(args, ++i));
                case "--max-seconds" -> maxSeconds = Long.parseLong(IngestCommand.value(args, ++i));
                case "--max-minutes" -> maxMinutes = Long.parseLong(IngestCommand.value(args, ++i));
                case "--work-dir" -> workDir = Path.of(IngestCommand.value(args, ++i));
                case "--atalaya" -> atalaya = IngestCommand.value(args, ++i);
                case "--query-reps" -> reps = Integer.parseInt(IngestCommand.value(args, ++i));
                case "--query-warmup" -> warmup = Integer.parseInt(IngestCommand.value(args, ++i));
                case "--query-warmup-seconds" -> warmupSeconds = Long.parseLong(IngestCommand.value(args, ++i));
                case "--settle-seconds" -> settleSeconds = Long.parseLong(IngestCommand.value(args, ++i));
                case "--settle-idle-seconds" -> settleIdleSeconds = Long.parseLong(IngestCommand.value(args, ++i));
                case "--port" -> port = Integer.parseInt(IngestCommand.value(args, ++i));
                case "--no-request-histogram" -> histogram = false;
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "\nusage: " + USAGE);
            }
        }
        require(hosts >= 1, "--hosts must be >= 1, got " + hosts);
        require(hours > 0, "--hours must be > 0, got " + hours);
        require(rounds >= 1, "--rounds must be >= 1, got " + rounds);
        require(connections >= 1 && connections <= hosts, "--connections must be in [1, hosts], got " + connections);
        require(perRequest >= 1, "--samples-per-request must be >= 1, got " + perRequest);
        require(maxSeconds >= 1, "--max-seconds must be >= 1, got " + maxSeconds);
        require(maxMinutes >= 1, "--max-minutes must be >= 1, got " + maxMinutes);
        require(reps >= 1 && warmup >= 0, "--query-reps must be >= 1 and --query-warmup >= 0");
        require(warmupSeconds >= 0, "--query-warmup-seconds must be >= 0, got " + warmupSeconds);
        require(settleSeconds >= 0, "--settle-seconds must be >= 0, got " + settleSeconds);
        require(settleIdleSeconds >= 0, "--settle-idle-seconds must be >= 0, got " + settleIdleSeconds);
        require(port >= 1024 && port + peers.size() <= 65535, "--port must leave room for one port per peer");
        return new CompareOptions(peers, protocols, hosts, hours, rounds, connections, perRequest, seed, startMs,
                maxSeconds, maxMinutes, workDir, atalaya, reps, warmup, warmupSeconds, settleSeconds, settleIdleSeconds,
                port, histogram);
    }

    /** A comma-separated list of peer names, without repeats, Atalaya moved first. */
    static List<Peer> peers(String list) {
        List<Peer> out = new ArrayList<>();
        for (String name : split(list, "--peers")) {
            Peer p = Peer.parse(name);
            require(!out.contains(p), "--peers names " + name + " twice");
            out.add(p);
        }
        if (out.remove(Peer.ATALAYA)) {
            out.addFirst(Peer.ATALAYA);
        }
        return List.copyOf(out);
    }

    static List<Protocol> protocols(String list) {
        List<Protocol> out = new ArrayList<>();
        for (String name : split(list, "--protocols")) {
            Protocol p = Protocol.parse(name);
            require(!out.contains(p), "--protocols names " + name + " twice");
            out.add(p);
        }
        return List.copyOf(out);
    }

    private static List<String> split(String list, String option) {
        List<String> out = new ArrayList<>();
        for (String s : list.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        require(!out.isEmpty(), option + " needs at least one name");
        return out;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Seconds of data: scrapes times the interval. */
    long dataSeconds() {
        return (long) scrapes() * io.atalaya.bench.workload.NodeExporterWorkload.DEFAULT_INTERVAL_MS / 1000;
    }

    /** Scrapes per host: {@code hours} of 10 s scrapes. */
    int scrapes() {
        return (int) Math.round(hours * 3600_000 / io.atalaya.bench.workload.NodeExporterWorkload.DEFAULT_INTERVAL_MS);
    }
}
