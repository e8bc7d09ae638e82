package io.atalaya.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** SIGHUP reloads the configuration, as for Prometheus (unless the process started with SIGHUP ignored). */
final class SignalReload {
    private static final Logger log = LoggerFactory.getLogger(SignalReload.class);

    private SignalReload() {
    }

    static void onSighup(java.util.function.Supplier<String> reload) {
        SignalHandler previous;
        try {
            previous = Signal.handle(new Signal("HUP"), sig -> {
                log.info("SIGHUP received: reloading the scrape configuration");
                String error = reload.get();
                if (error == null) {
                    log.info("Scrape configuration reloaded");
                }
            });
        } catch (IllegalArgumentException e) {
            log.warn("SIGHUP cannot be handled on this platform ({}); reload with POST /-/reload", e.getMessage());
            return;
        }
        if (previous == SignalHandler.SIG_IGN) {
            // The JVM leaves an inherited "ignore" in place (what nohup asks for) and installs nothing: say so,
            // or a reload by signal would silently do nothing.
            log.warn("SIGHUP cannot be handled: the process was started with SIGHUP ignored (as under nohup);"
                    + " reload with POST /-/reload");
        }
    }
}
