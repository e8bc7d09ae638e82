package io.atalaya.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real server as a child process, as a user would, and checks what they would see. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServerProcessTest {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(HttpClient c, String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void startsAnswersProbesAndStopsCleanlyOnSigterm() throws Exception {
        try (ServerProcess p = ServerProcess.start(dir, Map.of(), "server", "--listen", "127.0.0.1:0", "--data", "data")) {
            String url = p.awaitReadyUrl(START);
            assertThat(url).startsWith("http://127.0.0.1:");
            assertThat(get(client, url + "-/healthy", null).statusCode()).isEqualTo(200);
            assertThat(get(client, url + "-/ready", null).body()).contains("Ready");
            HttpResponse<String> metrics = get(client, url + "metrics", null);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            assertThat(metrics.body()).contains("atalaya_build_info{").contains("jvm_memory_used_bytes")
                    .contains("atalaya_tsdb_head_series ").contains("atalaya_tsdb_head_samples_appended_total ");
            assertThat(get(client, url, null).body()).contains("<h1>Atalaya</h1>");
            assertThat(Files.exists(dir.resolve("data/lock"))).isTrue();

            long t0 = System.nanoTime();
            p.terminate();
            int code = p.awaitExit(Duration.ofSeconds(5));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            assertThat(code).as(p.output()).isEqualTo(143); // terminated by SIGTERM after the shutdown hook ran
            assertThat(p.output()).contains("Stopped HTTP listener").contains("Atalaya stopped cleanly");
        }
    }

    @Test
    void sigtermDuringStartUpStillStopsCleanly() throws Exception {
        try (ServerProcess p = ServerProcess.start(dir, Map.of(), "server", "--listen", "127.0.0.1:0", "--data", "data")) {
            long deadline = System.nanoTime() + START.toNanos();
            while (!p.output().contains("Starting Atalaya") && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            p.terminate();
            assertThat(p.awaitExit(Duration.ofSeconds(10))).as(p.output()).isIn(143, 1);
            assertThat(p.output()).contains("Shutdown requested").contains("Atalaya stopped cleanly");
        }
    }

    @Test
    void sighupReloadsTheScrapeConfiguration() throws Exception {
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, "scrape_configs:\n  - job_name: before\n    static_configs:\n      - targets: ['127.0.0.1:1']\n");
        Path cfg = Files.writeString(dir.resolve("atalaya.yml"), "http:\n  listen: 127.0.0.1:0\nstorage:\n  path: data\n"
                + "scrape:\n  config_file: " + file + "\n  self_interval: 0s\n");
        try (ServerProcess p = ServerProcess.start(dir, Map.of(), "server", "--config", cfg.toString())) {
            String url = p.awaitReadyUrl(START);
            assertThat(get(client, url + "api/v1/targets", null).body()).contains("\"scrapePool\":\"before\"");
            Files.writeString(file, "scrape_configs:\n  - job_name: after\n    static_configs:\n      - targets: ['127.0.0.1:2']\n");
            if (sighupIgnoredByThisProcess()) {
                // Started under nohup: the server inherits the ignored SIGHUP, which the JVM must leave ignored. It says
                // so and names the other way to reload, which must work.
                assertThat(p.output()).contains("SIGHUP cannot be handled").contains("POST /-/reload");
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url + "-/reload"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(get(client, url + "api/v1/targets", null).body()).contains("\"scrapePool\":\"after\"")
                        .doesNotContain("\"scrapePool\":\"before\"");
                return;
            }
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start();
            assertThat(kill.waitFor()).isZero();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String body = "";
            while (System.nanoTime() < deadline && !body.contains("\"scrapePool\":\"after\"")) {
                Thread.sleep(100);
                body = get(client, url + "api/v1/targets", null).body();
            }
            assertThat(body).contains("\"scrapePool\":\"after\"").doesNotContain("\"scrapePool\":\"before\"");
            assertThat(p.output()).contains("SIGHUP received");
        }
    }

    /**
     * Whether this JVM (and so a server it starts) has SIGHUP ignored, as under nohup: bit 0 of the {@code SigIgn}
     * mask in /proc/self/status.
     */
    private static boolean sighupIgnoredByThisProcess() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 1) != 0;
            }
        }
        return false;
    }

    @Test
    void refusesPublicListenerWithoutAuthentication() throws Exception {
        try (ServerProcess p = ServerProcess.start(dir, Map.of(), "server", "--listen", "0.0.0.0:0", "--data", "data")) {
            assertThat(p.awaitExit(START)).isEqualTo(2);
            assertThat(p.output()).contains("no authentication is configured").contains("bearer_token")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void explicitOptInListensOnAllInterfacesWithAWarning() throws Exception {
        try (ServerProcess p = ServerProcess.start(dir, Map.of(), "server", "--listen", "0.0.0.0:0", "--data", "data",
                "--allow-unauthenticated-remote")) {
            String url = p.awaitReadyUrl(START);
            assertThat(get(client, url.replace("localhost", "127.0.0.1") + "-/healthy", null).statusCode()).isEqualTo(200);
            assertThat(p.output()).contains("WARN").contains("without authentication");
        }
    }

    @Test
    void bearerTokenProtectsEverythingButTheProbes() throws Exception {
        try (ServerProcess p = ServerProcess.start(dir, Map.of("ATALAYA_BEARER_TOKEN", "t0ken"),
                "server", "--listen", "0.0.0.0:0", "--data", "data")) {
            String url = p.awaitReadyUrl(START).replace("localhost", "127.0.0.1");
            assertThat(get(client, url + "metrics", null).statusCode()).isEqualTo(401);
            assertThat(get(client, url + "metrics", "wrong").statusCode()).isEqualTo(401);
            assertThat(get(client, url + "metrics", "t0ken").statusCode()).isEqualTo(200);
            assertThat(get(client, url + "-/healthy", null).statusCode()).isEqualTo(200);
            assertThat(get(client, url + "-/ready", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void brokenConfigFileExitsTwoNamingFieldAndLine() throws Exception {
        Path cfg = Files.writeString(dir.resolve("atalaya.yml"), "http:\n  listen: 127.0.0.1:0\n  tls:\n    cert: x\n");
        try (ServerProcess p = ServerProcess.start(dir, Map.of(), "server", "--config", cfg.toString())) {
            assertThat(p.awaitExit(START)).isEqualTo(2);
            assertThat(p.output()).contains("atalaya.yml:4:").contains("unknown field \"cert\"").contains("cert_file")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void secondServerOnTheSameDataDirectoryIsRefused() throws Exception {
        try (ServerProcess first = ServerProcess.start(dir, Map.of(), "server", "--listen", "127.0.0.1:0", "--data", "data")) {
            first.awaitReadyUrl(START);
            try (ServerProcess second = ServerProcess.start(dir, Map.of(), "server", "--listen", "127.0.0.1:0", "--data", "data")) {
                assertThat(second.awaitExit(START)).isEqualTo(1);
                assertThat(second.output()).contains("is in use by another Atalaya process");
            }
        }
    }

    @Test
    void servesHttpsWithPemCertificateAndKey() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).as("openssl (Debian package openssl) must be installed").isTrue();
        assertThat(openssl.exitValue()).as(new String(openssl.getInputStream().readAllBytes())).isZero();
        Path cfg = Files.writeString(dir.resolve("tls.yml"), "http:\n  listen: 127.0.0.1:0\n  tls:\n    cert_file: "
                + cert + "\n    key_file: " + key + "\nstorage:\n  path: data\n");
        try (ServerProcess p = ServerProcess.start(dir, Map.of(), "server", "--config", cfg.toString())) {
            String url = p.awaitReadyUrl(START);
            assertThat(url).startsWith("https://127.0.0.1:");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(cert)) {
                trust.setCertificateEntry("atalaya", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient tlsClient = HttpClient.newBuilder().sslContext(ssl).build();
            assertThat(get(tlsClient, url + "-/healthy", null).body()).contains("Healthy");
        }
    }
}
