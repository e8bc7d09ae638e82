package io.atalaya.bench;

import io.atalaya.bench.load.CompareCommand;
import io.atalaya.bench.load.IngestCommand;
import io.atalaya.bench.load.QueryCommand;
import java.util.Arrays;

/**
 * Command-line entry of the end-to-end benchmarks:
 * <ul>
 *   <li>{@code ingest}: send the node_exporter workload to a server ({@link IngestCommand});</li>
 *   <li>{@code query}: query latency on that data ({@link QueryCommand});</li>
 *   <li>{@code compare}: Atalaya, VictoriaMetrics and Prometheus, rounds of start, ingest, query, stop, in one
 *       command, with a Markdown report ({@link CompareCommand});</li>
 *   <li>{@code engine}: the storage engine alone, no HTTP ({@link EngineBench}).</li>
 * </ul>
 * <pre>
 * java -cp bench/target/atalaya-benchmarks.jar io.atalaya.bench.BenchMain ingest --target http://127.0.0.1:9470 \
 *     --protocol remote-write --hosts 100 --hours 6
 * </pre>
 * The JMH benchmarks run through the jar's own main ({@code java -jar bench/target/atalaya-benchmarks.jar REGEX}).
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "ingest" -> IngestCommand.main(rest);
                case "query" -> QueryCommand.main(rest);
                case "compare" -> CompareCommand.main(rest);
                case "engine" -> EngineBench.main(rest);
                case "help", "-h", "--help" -> usage();
                default -> {
                    System.err.println("unknown subcommand '" + args[0] + "'");
                    usage();
                    System.exit(2);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("bench " + args[0] + ": " + e.getMessage());
            System.exit(2);
        }
    }

    private static void usage() {
        System.err.println("""
                usage: BenchMain ingest --target URL [--protocol remote-write|line-protocol] [--hosts 100] [--hours 6]
                                        [--connections 4] [--samples-per-request 10000] [--pid PID]
                                        [--data-dir DIR --stop] [--max-seconds 1800] [--start-ms T] [--seed 42]
                                        [--dump-dir DIR] [--request-histogram] [--work-dir DIR]
                       BenchMain query  --target URL --end-ms T [--reps 7] [--warmup 2] [--host 42] [--hours 6]
                                        [--request-histogram]
                       BenchMain compare [--peers atalaya,victoria-metrics,prometheus]
                                         [--protocols remote-write,line-protocol] [--hosts 100] [--hours 6]
                                         [--rounds 3] [--connections 4] [--max-seconds 1800] [--max-minutes 180]
                                         [--work-dir DIR] [--atalaya ./atalaya] [--query-reps 5] [--port 19600]
                                         [--no-request-histogram]
                       BenchMain engine [--hosts 100] [--hours 3] [--threads 2] [--data DIR] [--sync GROUP]""");
    }
}
