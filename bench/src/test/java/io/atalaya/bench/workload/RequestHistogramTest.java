package io.atalaya.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.atalaya.model.Labels;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RequestHistogramTest {
    private static final String NAME = NodeExporterWorkload.REQUEST_HISTOGRAM;
    private static final int BUCKETS = NodeExporterWorkload.REQUEST_BUCKETS.length + 1;

    @Property(tries = 40)
    void everyScrapeKeepsTheInvariantsOfAClassicHistogram(@ForAll long seed, @ForAll @IntRange(min = 0, max = 500) int first,
                                                          @ForAll @IntRange(min = 1, max = 4) int hosts,
                                                          @ForAll @IntRange(min = 1, max = 60) int scrapes) {
        NodeExporterWorkload w = new NodeExporterWorkload(first, hosts, seed, NodeExporterWorkload.DEFAULT_START_MS,
                NodeExporterWorkload.DEFAULT_INTERVAL_MS, true);
        int perHost = w.seriesPerHost();
        int off = perHost - RequestHistogram.SERIES;
        double[] values = new double[w.seriesCount()];
        double[] previous = null;
        for (int s = 0; s < scrapes; s++) {
            w.nextScrape(values);
            for (int h = 0; h < hosts; h++) {
                int base = h * perHost + off;
                // the series are where their labels say, le ascending, +Inf last, then _sum and _count
                for (int k = 0; k < BUCKETS; k++) {
                    Labels l = w.labels(base + k);
                    assertThat(l.metricName()).isEqualTo(NAME + "_bucket");
                    assertThat(l.get("le")).isEqualTo(k < BUCKETS - 1
                            ? RequestHistogram.formatBound(NodeExporterWorkload.REQUEST_BUCKETS[k]) : "+Inf");
                    if (k > 0) {
                        assertThat(values[base + k]).as("bucket counts grow with le").isGreaterThanOrEqualTo(values[base + k - 1]);
                    }
                    assertThat(values[base + k]).isEqualTo(Math.rint(values[base + k]));
                }
                assertThat(w.labels(base + BUCKETS).metricName()).isEqualTo(NAME + "_sum");
                assertThat(w.labels(base + BUCKETS + 1).metricName()).isEqualTo(NAME + "_count");
                double count = values[base + BUCKETS + 1];
                double sum = values[base + BUCKETS];
                assertThat(values[base + BUCKETS - 1]).as("+Inf == _count").isEqualTo(count);
                assertThat(count).isPositive();
                // every observation is a whole millisecond, at least 1 ms and at most the slow tail allows
                assertThat(sum).isGreaterThanOrEqualTo(count * 0.001);
                assertThat(Math.round(sum * 1000) / 1000.0).isEqualTo(sum);
            }
            if (previous != null) {
                for (int h = 0; h < hosts; h++) {
                    for (int k = 0; k < RequestHistogram.SERIES; k++) {
                        int i = h * perHost + off + k;
                        assertThat(values[i]).as("counter %s never decreases", w.labels(i)).isGreaterThanOrEqualTo(previous[i]);
                    }
                }
            }
            previous = values.clone();
        }
    }

    @Property(tries = 20)
    void theNodeSeriesKeepTheirValuesWithOrWithoutTheHistogram(@ForAll long seed,
                                                               @ForAll @IntRange(min = 0, max = 500) int first,
                                                               @ForAll @IntRange(min = 1, max = 3) int hosts) {
        NodeExporterWorkload without = new NodeExporterWorkload(first, hosts, seed, 0, 10_000, false);
        NodeExporterWorkload with = new NodeExporterWorkload(first, hosts, seed, 0, 10_000, true);
        assertThat(without.seriesPerHost()).isEqualTo(163);
        assertThat(with.seriesPerHost()).isEqualTo(163 + RequestHistogram.SERIES);
        double[] a = new double[without.seriesCount()];
        double[] b = new double[with.seriesCount()];
        for (int s = 0; s < 20; s++) {
            without.nextScrape(a);
            with.nextScrape(b);
            for (int h = 0; h < hosts; h++) {
                assertThat(without.hostTimestamp(h)).isEqualTo(with.hostTimestamp(h));
                double[] nodeA = Arrays.copyOfRange(a, h * 163, (h + 1) * 163);
                double[] nodeB = Arrays.copyOfRange(b, h * with.seriesPerHost(), h * with.seriesPerHost() + 163);
                assertThat(nodeB).isEqualTo(nodeA);
                for (int i = 0; i < 163; i++) {
                    assertThat(with.labels(h * with.seriesPerHost() + i)).isEqualTo(without.labels(h * 163 + i));
                }
            }
        }
    }

    @Test
    void aHostHasTheSameHistogramInAnyFleetThatHoldsIt() {
        NodeExporterWorkload alone = new NodeExporterWorkload(7, 1, 42, 0, 10_000, true);
        NodeExporterWorkload fleet = new NodeExporterWorkload(5, 4, 42, 0, 10_000, true);
        double[] a = new double[alone.seriesCount()];
        double[] b = new double[fleet.seriesCount()];
        for (int s = 0; s < 10; s++) {
            alone.nextScrape(a);
            fleet.nextScrape(b);
        }
        int per = alone.seriesPerHost();
        assertThat(Arrays.copyOfRange(b, 2 * per, 3 * per)).isEqualTo(a);
    }

    @Test
    void boundsAreFormattedAsTheGoClientDoes() {
        assertThat(RequestHistogram.formatBound(0.005)).isEqualTo("0.005");
        assertThat(RequestHistogram.formatBound(1)).isEqualTo("1");
        assertThat(RequestHistogram.formatBound(2.5)).isEqualTo("2.5");
        assertThat(RequestHistogram.formatBound(10)).isEqualTo("10");
    }
}
