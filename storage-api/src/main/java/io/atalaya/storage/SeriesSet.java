package io.atalaya.storage;

import java.util.List;

/**
 * A lazy iterator over series: {@code while (set.next()) { Series s = set.at(); ... }}. The series returned by
 * {@link #at()} stays valid after {@link #next()}, until its querier is closed: the query engine collects a batch of
 * series and reads them on several threads at once, so an implementation must not reuse one {@link Series} object
 * for successive series. Each thread reads a series through its own iterator.
 */
public interface SeriesSet {
    boolean next();

    Series at();

    /** Non-fatal problems met while reading (e.g. a secondary storage failed). */
    default List<String> warnings() {
        return List.of();
    }

    SeriesSet EMPTY = new SeriesSet() {
        @Override
        public boolean next() {
            return false;
        }

        @Override
        public Series at() {
            throw new IllegalStateException("empty series set");
        }
    };
}
