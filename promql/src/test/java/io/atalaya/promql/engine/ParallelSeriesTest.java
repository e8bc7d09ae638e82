package io.atalaya.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atalaya.model.Labels;
import io.atalaya.model.StaleMarker;
import io.atalaya.promql.test.InMemoryStorage;
import io.atalaya.storage.Appender;
import io.atalaya.storage.Querier;
import io.atalaya.storage.Queryable;
import io.atalaya.storage.SampleIterator;
import io.atalaya.storage.SelectHints;
import io.atalaya.storage.Series;
import io.atalaya.storage.SeriesSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import io.atalaya.model.Matcher;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Range functions over matrix selectors compute series on several threads ({@link SeriesWorkers}); the answer must
 * be the one-thread answer, bit for bit, with the same annotations, and limits must hold.
 */
class ParallelSeriesTest {
    private static final List<String> QUERIES = List.of(
            "sum by (host) (rate(c_total[5m]))",
            "rate(c_total[5m])",
            "increase(c_total[2m])",
            "avg_over_time(g[1h])",
            "max_over_time(g[10m])",
            "quantile_over_time(0.9, g[15m])",
            "deriv(g[5m])",
            "rate(g[5m])",
            "changes(g[20m])",
            "absent_over_time(g[1m])",
            "rate(c_total[5m] anchored)",
            "increase(c_total[5m] smoothed)");

    @Property(tries = 12)
    void parallelEqualsOneThread(@ForAll long seed, @ForAll @IntRange(min = 0, max = 300) int series) {
        try (InMemoryStorage storage = randomStorage(seed, series)) {
            Engine engine = new Engine(EngineOptions.defaults().withExperimentalFunctions(true));
            for (String q : QUERIES) {
                for (long step : new long[] {15_000, 90_000}) {
                    Outcome parallel = run(engine, storage, q, step, true);
                    Outcome sequential = run(engine, storage, q, step, false);
                    assertThat(parallel).as(q + " step " + step).isEqualTo(sequential);
                }
            }
        }
    }

    @Test
    void maxSamplesFailsAsOnOneThread() {
        try (InMemoryStorage storage = randomStorage(7, 200)) {
            Engine small = new Engine(EngineOptions.defaults().withMaxSamples(20_000));
            for (boolean parallel : new boolean[] {true, false}) {
                Outcome o = run(small, storage, "rate(c_total[5m])", 15_000, parallel);
                assertThat(o.error()).as("parallel " + parallel)
                        .isEqualTo("TOO_MANY_SAMPLES query processing would load too many samples into memory in query execution");
            }
        }
    }

    @Test
    void cancellingWhileSeriesAreComputedStopsTheQuery() {
        try (InMemoryStorage storage = randomStorage(3, 300)) {
            Query[] query = new Query[1];
            AtomicInteger read = new AtomicInteger();
            // cancels from a worker thread once a few series have been decoded
            Queryable cancelling = (mint, maxt) -> new CancellingQuerier(storage.querier(mint, maxt), () -> {
                if (read.incrementAndGet() == 40) {
                    query[0].cancel();
                }
            });
            query[0] = new Engine(EngineOptions.defaults()).newRangeQuery(cancelling, "rate(c_total[5m])", 0, 7_200_000, 15_000);
            try (Query q = query[0]) {
                assertThatThrownBy(q::exec).isInstanceOf(QueryException.class)
                        .extracting(e -> ((QueryException) e).kind()).isEqualTo(QueryException.Kind.CANCELED);
            }
            assertThat(read.get()).as("series decoded before the cancellation was seen").isLessThan(300);
        }
    }

    /** What a query gave: its matrix with values as bits, annotations, or its error. */
    record Outcome(String matrix, List<Annotation> annotations, String error) {
    }

    private static Outcome run(Engine engine, Queryable storage, String q, long step, boolean parallel) {
        SeriesWorkers.enabled = parallel;
        try (Query query = engine.newRangeQuery(storage, q, 0, 7_200_000, step)) {
            QueryResult r = query.exec();
            StringBuilder sb = new StringBuilder();
            for (SeriesPoints s : ((Matrix) r.value()).series()) {
                sb.append(s.labels()).append(':');
                for (int i = 0; i < s.size(); i++) {
                    sb.append(s.timestamps()[i]).append('=').append(Long.toHexString(Double.doubleToRawLongBits(s.values()[i]))).append(',');
                }
                sb.append('\n');
            }
            return new Outcome(sb.toString(), r.annotations(), null);
        } catch (QueryException e) {
            return new Outcome(null, List.of(), e.kind() + " " + e.getMessage());
        } finally {
            SeriesWorkers.enabled = true;
        }
    }

    /** Counters (with resets) and gauges, 10 s to 60 s apart, with gaps and stale markers, over 2 h. */
    private static InMemoryStorage randomStorage(long seed, int series) {
        Random rnd = new Random(seed);
        InMemoryStorage storage = new InMemoryStorage();
        Appender a = storage.appender();
        for (int s = 0; s < series; s++) {
            boolean counter = s % 2 == 0;
            Labels l = Labels.of("__name__", counter ? "c_total" : "g", "host", "h" + (s % 7), "id", Integer.toString(s));
            long interval = (1 + rnd.nextInt(6)) * 10_000L;
            double v = rnd.nextDouble() * 1000;
            for (long t = rnd.nextInt(60_000); t <= 7_200_000; t += interval) {
                int dice = rnd.nextInt(100);
                if (dice < 3) {
                    t += 600_000; // a gap
                    continue;
                }
                if (dice == 3) {
                    a.append(0, l, t, StaleMarker.VALUE);
                    continue;
                }
                v = counter ? (dice == 4 ? rnd.nextDouble() : v + rnd.nextDouble() * 100) : rnd.nextGaussian() * 50;
                a.append(0, l, t, v);
            }
        }
        a.commit();
        return storage;
    }

    /** Runs {@code onRead} whenever a series' samples are read. */
    private record CancellingQuerier(Querier inner, Runnable onRead) implements Querier {
        @Override
        public SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
            SeriesSet set = inner.select(sorted, hints, matchers);
            return new SeriesSet() {
                @Override
                public boolean next() {
                    return set.next();
                }

                @Override
                public Series at() {
                    Series s = set.at();
                    return new Series() {
                        @Override
                        public Labels labels() {
                            return s.labels();
                        }

                        @Override
                        public SampleIterator iterator(SampleIterator reuse) {
                            onRead.run();
                            return s.iterator(null);
                        }
                    };
                }
            };
        }

        @Override
        public List<String> labelNames(List<Matcher> matchers) {
            return inner.labelNames(matchers);
        }

        @Override
        public List<String> labelValues(String name, List<Matcher> matchers) {
            return inner.labelValues(name, matchers);
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
