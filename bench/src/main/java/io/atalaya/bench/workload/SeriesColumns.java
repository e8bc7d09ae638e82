package io.atalaya.bench.workload;

/**
 * The next {@code scrapes} scrapes of a workload, series by series: {@code ts[i][s]} and {@code vs[i][s]} are the
 * timestamp and value of series {@code i} at scrape {@code s}. What chunk benchmarks encode, one series at a time.
 */
public record SeriesColumns(long[][] ts, double[][] vs) {
    public static SeriesColumns next(NodeExporterWorkload w, int scrapes) {
        int n = w.seriesCount();
        long[][] ts = new long[n][scrapes];
        double[][] vs = new double[n][scrapes];
        double[] v = new double[n];
        for (int s = 0; s < scrapes; s++) {
            w.nextScrape(v);
            for (int i = 0; i < n; i++) {
                ts[i][s] = w.timestamp(i);
                vs[i][s] = v[i];
            }
        }
        return new SeriesColumns(ts, vs);
    }
}
