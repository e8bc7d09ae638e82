package io.atalaya.tsdb;

import io.atalaya.model.Labels;
import io.atalaya.storage.Appender;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The process {@link CrashTest} kills: opens the store with the default options and, from the batch number given as
 * second argument (the test passes one past the newest batch it found), appends batches at full speed. Batch b writes one sample to each of {@link #SERIES} series at
 * {@code t = BASE + b} with value b, in one transaction; after {@code commit()} returns, it prints "b" on stdout.
 * A line on stdout is therefore an acknowledgement. With a third argument N ≥ 0, after N batches it prints "closing",
 * closes the store (which persists the head into blocks and empties the WAL), prints "closed" and exits; the test
 * kills it at a random moment of that close.
 */
public final class CrashChild {
    static final int SERIES = 40;
    static final long BASE = 1_700_000_000_000L;

    private CrashChild() {
    }

    static Labels series(int i) {
        return Labels.of("__name__", "crash_test", "i", Integer.toString(i), "job", "crash");
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        long next = Long.parseLong(args[1]);
        long closeAfter = args.length > 2 ? Long.parseLong(args[2]) : -1;
        try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
            long[] refs = new long[SERIES];
            out.println("ready " + next);
            out.flush();
            for (long b = next; ; b++) {
                if (closeAfter >= 0 && b - next == closeAfter) {
                    out.println("closing");
                    out.flush();
                    db.close();
                    out.println("closed");
                    out.flush();
                    return;
                }
                Appender a = db.appender();
                for (int i = 0; i < SERIES; i++) {
                    refs[i] = a.append(refs[i], series(i), BASE + b, b);
                }
                a.commit();
                out.println(b);
                out.flush();
            }
        }
    }
}
