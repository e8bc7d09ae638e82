package io.atalaya.common.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ProtoWireReaderTest {
    /** The smallest decoder: errors carry the offset, as the real decoders' do. */
    private static final class Reader extends ProtoWireReader {
        Reader(byte[] data) {
            start(data, 0);
        }

        @Override
        protected IllegalStateException error(String reason) {
            return new IllegalStateException(reason + " at " + (pos - base));
        }
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    @Property
    void varintsRoundTrip(@ForAll long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, v);
        byte[] b = out.toByteArray();
        Reader r = new Reader(b);
        assertThat(r.readVarint(b.length)).isEqualTo(v);
        assertThat(r.pos).isEqualTo(b.length);
    }

    @Test
    void refusesVarintsThatAreTruncatedTooLongOrOverflow() {
        assertThatThrownBy(() -> new Reader(bytes(0x80, 0x80)).readVarint(2)).hasMessage("truncated varint at 2");
        byte[] eleven = bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
        assertThatThrownBy(() -> new Reader(eleven).readVarint(11)).hasMessageContaining("longer than 10 bytes");
        byte[] overflow = bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02);
        assertThatThrownBy(() -> new Reader(overflow).readVarint(10)).hasMessageContaining("overflows 64 bits");
        // The end of the enclosing message bounds the read even when the array goes on.
        assertThatThrownBy(() -> new Reader(bytes(0x96, 0x01)).readVarint(1)).hasMessage("truncated varint at 1");
    }

    @Test
    void readsTagsAndRefusesFieldZero() {
        Reader r = new Reader(bytes(0x0a, 0x00, 0x08));
        int tag = r.readTag(3);
        assertThat(tag >>> 3).isEqualTo(1);
        assertThat(tag & 7).isEqualTo(ProtoWireReader.WT_LEN);
        assertThatThrownBy(() -> r.readTag(3)).hasMessageContaining("invalid field tag 0");
        byte[] tooBig = bytes(0x80, 0x80, 0x80, 0x80, 0x10); // 2^32
        assertThatThrownBy(() -> new Reader(tooBig).readTag(5)).hasMessageContaining("invalid field tag 4294967296");
    }

    @Test
    void readsLittleEndianFixed64AndDoubles() {
        byte[] b = bytes(0, 0, 0, 0, 0, 0, 0xf8, 0x7f, 1, 2, 3, 4, 5, 6, 7, 0x88);
        Reader r = new Reader(b);
        assertThat(Double.isNaN(Double.longBitsToDouble(r.readFixed64(16)))).isTrue();
        assertThat(r.readFixed64(16)).isEqualTo(0x8807060504030201L);
        assertThat(r.pos).isEqualTo(16);
        assertThatThrownBy(() -> new Reader(b).readFixed64(7)).hasMessageContaining("7 bytes left");
    }

    @Test
    void lengthsAreCheckedAgainstTheEnclosingMessage() {
        byte[] b = bytes(0x03, 'a', 'b', 'c', 0x05, 'x');
        Reader r = new Reader(b);
        assertThat(r.readString(ProtoWireReader.WT_LEN, 4)).isEqualTo("abc");
        assertThat(r.pos).isEqualTo(4);
        assertThatThrownBy(() -> r.lengthOf(ProtoWireReader.WT_LEN, 6))
                .hasMessage("length 5 exceeds the 1 bytes left in the enclosing message at 5");
        assertThatThrownBy(() -> new Reader(b).lengthOf(ProtoWireReader.WT_VARINT, 6))
                .hasMessageContaining("wrong wire type 0 for length-delimited field (expected 2)");
        // A string with invalid UTF-8 is decoded with replacement characters, not refused.
        byte[] bad = bytes(0x02, 0xc3, 'x');
        assertThat(new Reader(bad).readString(ProtoWireReader.WT_LEN, 3)).isEqualTo("\ufffdx");
    }

    @Test
    void skipsEveryScalarWireTypeAndRefusesGroups() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, 300);                                  // varint
        out.writeBytes(new byte[8]);                       // i64
        out.write(2);                                      // len 2
        out.writeBytes("hi".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(new byte[4]);                       // i32
        byte[] b = out.toByteArray();
        Reader r = new Reader(b);
        r.skip(ProtoWireReader.WT_VARINT, b.length);
        assertThat(r.pos).isEqualTo(2);
        r.skip(ProtoWireReader.WT_I64, b.length);
        assertThat(r.pos).isEqualTo(10);
        r.skip(ProtoWireReader.WT_LEN, b.length);
        assertThat(r.pos).isEqualTo(13);
        r.skip(ProtoWireReader.WT_I32, b.length);
        assertThat(r.pos).isEqualTo(b.length);
        assertThatThrownBy(() -> new Reader(b).skip(3, b.length)).hasMessageContaining("unsupported wire type 3");
        assertThatThrownBy(() -> new Reader(bytes(1, 2, 3)).skip(ProtoWireReader.WT_I32, 3))
                .hasMessageContaining("truncated 32-bit field");
        assertThatThrownBy(() -> new Reader(bytes(1, 2, 3)).skip(ProtoWireReader.WT_I64, 3))
                .hasMessageContaining("truncated 64-bit field");
    }

    @Test
    void offsetsInErrorsAreRelativeToTheMessageStart() {
        byte[] b = bytes(9, 9, 0x80);
        Reader r = new Reader(b);
        r.start(b, 2);
        assertThatThrownBy(() -> r.readVarint(3)).hasMessage("truncated varint at 1");
    }
}
