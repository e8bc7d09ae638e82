package io.atalaya.bench.promql.engine;

import io.atalaya.model.Labels;
import io.atalaya.model.Matcher;
import io.atalaya.storage.Querier;
import io.atalaya.storage.Queryable;
import io.atalaya.storage.SampleIterator;
import io.atalaya.storage.SelectHints;
import io.atalaya.storage.Series;
import io.atalaya.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;

/**
 * A read-only benchmark fixture: series held as sorted timestamp/value arrays, selected by a linear scan of the
 * label sets. It isolates the evaluator's cost from any storage engine; immutable and thread-safe.
 */
final class ArrayQueryable implements Queryable {
    record ArraySeries(Labels labels, long[] ts, double[] vs) {
    }

    private final List<ArraySeries> series;

    ArrayQueryable(List<ArraySeries> series) {
        this.series = List.copyOf(series);
    }

    @Override
    public Querier querier(long mintMs, long maxtMs) {
        return new Querier() {
            @Override
            public SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
                List<ArraySeries> hits = new ArrayList<>();
                outer:
                for (ArraySeries s : series) {
                    for (Matcher m : matchers) {
                        if (!m.matches(s.labels())) {
                            continue outer;
                        }
                    }
                    hits.add(s);
                }
                return new SeriesSet() {
                    private int i = -1;

                    @Override
                    public boolean next() {
                        return ++i < hits.size();
                    }

                    @Override
                    public Series at() {
                        return new Cursor(hits.get(i)); // one per series: the engine holds several at once
                    }
                };
            }

            @Override
            public List<String> labelNames(List<Matcher> matchers) {
                return List.of();
            }

            @Override
            public List<String> labelValues(String name, List<Matcher> matchers) {
                return List.of();
            }

            @Override
            public void close() {
            }
        };
    }

    /** A view of one series; its iterator is recycled when passed back. */
    private static final class Cursor implements Series {
        private final ArraySeries s;

        Cursor(ArraySeries s) {
            this.s = s;
        }

        @Override
        public Labels labels() {
            return s.labels();
        }

        @Override
        public SampleIterator iterator(SampleIterator reuse) {
            It it = reuse instanceof It r ? r : new It();
            it.ts = s.ts();
            it.vs = s.vs();
            it.i = -1;
            return it;
        }
    }

    private static final class It implements SampleIterator {
        long[] ts;
        double[] vs;
        int i;

        @Override
        public boolean next() {
            return ++i < ts.length;
        }

        @Override
        public boolean seek(long t) {
            int lo = Math.max(i, 0);
            int hi = ts.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (ts[mid] < t) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            i = lo;
            return i < ts.length;
        }

        @Override
        public long timestamp() {
            return ts[i];
        }

        @Override
        public double value() {
            return vs[i];
        }
    }
}
