package io.atalaya.tsdb.merge;

import io.atalaya.storage.Series;

/**
 * A series that knows, without decoding, the time span its samples can lie in (from chunk metadata, clipped to the
 * querier's range). {@link MergeSeriesSet} uses it to read sources that do not overlap one after the other instead of
 * merging them sample by sample. The bounds MAY be wider than the samples (a chunk straddling the range), never
 * narrower.
 */
public interface TimeBoundedSeries extends Series {
    /** No sample of the iterator is earlier than this (ms). */
    long minTime();

    /** No sample of the iterator is later than this (ms). */
    long maxTime();
}
