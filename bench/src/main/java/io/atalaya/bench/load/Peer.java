package io.atalaya.bench.load;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A server {@link CompareCommand} can run: how it is started on a loopback port and a fresh data directory, how its
 * readiness is checked and which write protocols it accepts. VictoriaMetrics and Prometheus come from PATH; Atalaya
 * from its launcher, so that the launcher's JVM defaults (and {@code ATALAYA_JAVA_OPTS}) are what is measured.
 */
enum Peer {
    ATALAYA("atalaya", "/-/ready"),
    VICTORIA_METRICS("victoria-metrics", "/health"),
    PROMETHEUS("prometheus", "/-/ready");

    /**
     * Atalaya's configuration: no self-scrape. Its samples carry the wall-clock time, and once one lands in an empty
     * head, the workload's older samples fall outside the out-of-order window and are refused (HTTP 400).
     */
    static final String ATALAYA_CONFIG = """
            scrape:
              self_interval: 0s
            """;

    /** Prometheus' configuration: its out-of-order window set to Atalaya's default (1 h), nothing scraped. */
    static final String PROMETHEUS_CONFIG = """
            storage:
              tsdb:
                out_of_order_time_window: 1h
            """;

    private final String cliName;
    private final String readyPath;

    Peer(String cliName, String readyPath) {
        this.cliName = cliName;
        this.readyPath = readyPath;
    }

    static Peer parse(String name) {
        for (Peer p : values()) {
            if (p.cliName.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown peer '" + name + "' (use atalaya, victoria-metrics, prometheus)");
    }

    String cliName() {
        return cliName;
    }

    /** The path answering 200 once the server accepts writes. */
    String readyPath() {
        return readyPath;
    }

    /** Prometheus has no line protocol endpoint; the others take both protocols. */
    boolean accepts(Protocol protocol) {
        return this != PROMETHEUS || protocol == Protocol.REMOTE_WRITE;
    }

    /**
     * The executable to start, or empty (with the reason in {@code why[0]}) when it is not installed: Atalaya's
     * launcher as given ({@code ./atalaya}, relative to the working directory, or a name on PATH), the others' binary
     * on PATH.
     */
    Optional<String> executable(String atalayaCommand, String[] why) {
        String name = this == ATALAYA ? atalayaCommand : cliName;
        if (name.contains("/")) {
            if (Files.isExecutable(Path.of(name))) {
                return Optional.of(name);
            }
            why[0] = name + " is not an executable file (run from the repository root, or pass --atalaya PATH)";
            return Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                    return Optional.of(Path.of(dir, name).toString());
                }
            }
        }
        why[0] = name + " not found on PATH";
        return Optional.empty();
    }

    /** The command line starting this server on {@code 127.0.0.1:port} with data in {@code dataDir}. */
    List<String> command(String executable, int port, Path dataDir, Path workDir) throws IOException {
        String listen = "127.0.0.1:" + port;
        return switch (this) {
            case ATALAYA -> {
                Path config = workDir.resolve("atalaya.yml");
                Files.writeString(config, ATALAYA_CONFIG);
                yield List.of(executable, "server", "--config", config.toString(), "--listen", listen, "--data",
                        dataDir.toString());
            }
            case VICTORIA_METRICS -> List.of(executable, "-storageDataPath=" + dataDir, "-httpListenAddr=" + listen,
                    "-retentionPeriod=1y", "-search.disableCache", "-search.latencyOffset=0s");
            case PROMETHEUS -> {
                Path config = workDir.resolve("prometheus.yml");
                Files.writeString(config, PROMETHEUS_CONFIG);
                yield List.of(executable, "--config.file=" + config, "--storage.tsdb.path=" + dataDir,
                        "--web.listen-address=" + listen, "--web.enable-remote-write-receiver");
            }
        };
    }

    /** Environment added to the inherited one: Atalaya's Graphite listener off (its fixed port could clash). */
    Map<String, String> environment() {
        return this == ATALAYA ? Map.of("ATALAYA_GRAPHITE_LISTEN", "") : Map.of();
    }
}
