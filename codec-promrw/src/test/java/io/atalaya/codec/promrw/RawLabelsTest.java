package io.atalaya.codec.promrw;

import static org.assertj.core.api.Assertions.assertThat;

import io.atalaya.model.Labels;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The raw label range of remote write 1.0 series, which series caches use as a key. */
class RawLabelsTest {

    @Property(tries = 300)
    void theRawRangeIsExactlyTheLabelsOfTheSeries(
            @ForAll @Size(min = 1, max = 8) Map<@AlphaChars @StringLength(min = 1, max = 12) String,
                    @StringLength(min = 1, max = 20) String> labels,
            @ForAll @Size(max = 3) Map<@AlphaChars @StringLength(min = 1, max = 5) String, String> other) {
        Labels l = Labels.fromMap(labels);
        RemoteWriteEncoder enc = new RemoteWriteEncoder().reset();
        if (!other.isEmpty()) {
            enc.beginSeries().labels(Labels.fromMap(other)).sample(5, 5).endSeries(); // moves the second series' offsets
        }
        enc.beginSeries().labels(l).sample(1000, 1.5).endSeries();
        byte[] wire = enc.toByteArray();
        RemoteWriteBatch b = new RemoteWriteBatch();
        new RemoteWriteDecoder().decodeV1(wire, 0, wire.length, b);
        int s = b.seriesCount() - 1;
        int off = b.rawLabelsOffset(s);
        assertThat(off).isGreaterThanOrEqualTo(0);
        assertThat(b.labelsHash(s) & 1).isEqualTo(1);
        // Those bytes alone, as the only content of a TimeSeries, decode to the same labels and nothing else.
        byte[] raw = Arrays.copyOfRange(b.buffer(), off, off + b.rawLabelsLength(s));
        RemoteWriteBatch alone = decodeSeriesBody(raw);
        assertThat(alone.labels(0)).isEqualTo(b.labels(s));
        assertThat(alone.sampleCount(0)).isZero();
        assertThat(alone.rawLabelsLength(0)).isEqualTo(raw.length);
        assertThat(alone.labelsHash(0)).isEqualTo(b.labelsHash(s));
    }

    @Test
    void labelsSplitBySampleHaveNoRawRangeAndAnEvenHash() {
        byte[] wire = new RemoteWriteEncoder().reset().beginSeries().label("__name__", "up").sample(1, 1)
                .label("job", "node").endSeries().toByteArray();
        RemoteWriteBatch b = new RemoteWriteBatch();
        new RemoteWriteDecoder().decodeV1(wire, 0, wire.length, b);
        assertThat(b.labels(0)).isEqualTo(Labels.of("__name__", "up", "job", "node"));
        assertThat(b.rawLabelsOffset(0)).isEqualTo(-1);
        assertThat(b.rawLabelsLength(0)).isZero();
        assertThat(b.labelsHash(0) & 1).isZero();
    }

    @Test
    void remoteWrite2HasNoRawRange() {
        byte[] wire = new RemoteWriteV2Encoder().reset().beginSeries().labels(Labels.of("__name__", "up"))
                .sample(1, 1).endSeries().toByteArray();
        RemoteWriteBatch b = new RemoteWriteBatch();
        new RemoteWriteDecoder().decodeV2(wire, 0, wire.length, b);
        assertThat(b.rawLabelsOffset(0)).isEqualTo(-1);
        assertThat(b.labelsHash(0) & 1).isZero();
    }

    @Test
    void aSeriesWithoutLabelsHasNoRawRange() {
        byte[] wire = new RemoteWriteEncoder().reset().beginSeries().sample(1, 1).endSeries().toByteArray();
        RemoteWriteBatch b = new RemoteWriteBatch();
        new RemoteWriteDecoder().decodeV1(wire, 0, wire.length, b);
        assertThat(b.rawLabelsOffset(0)).isEqualTo(-1);
    }

    /** A WriteRequest with one TimeSeries whose body is {@code body}. */
    private static RemoteWriteBatch decodeSeriesBody(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x0A);
        for (int n = body.length; ; n >>>= 7) {
            if (n < 0x80) {
                out.write(n);
                break;
            }
            out.write((n & 0x7F) | 0x80);
        }
        out.writeBytes(body);
        byte[] wire = out.toByteArray();
        RemoteWriteBatch b = new RemoteWriteBatch();
        new RemoteWriteDecoder().decodeV1(wire, 0, wire.length, b);
        return b;
    }
}
