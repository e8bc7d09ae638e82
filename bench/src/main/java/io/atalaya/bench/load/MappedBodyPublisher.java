package io.atalaya.bench.load;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request body that is one {@link ByteBuffer} (here a view of a {@link PayloadFile} mapping), published as it is:
 * {@link HttpRequest.BodyPublishers} has no such publisher, and its {@code ofByteArray} needs the bytes in the heap.
 * Each subscriber (the client subscribes again if it retries) gets its own duplicate, so the view is never consumed.
 */
final class MappedBodyPublisher implements HttpRequest.BodyPublisher {
    private final ByteBuffer body;

    MappedBodyPublisher(ByteBuffer body) {
        this.body = body;
    }

    @Override
    public long contentLength() {
        return body.remaining();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        ByteBuffer mine = body.duplicate();
        AtomicBoolean done = new AtomicBoolean();
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                if (n <= 0) {
                    if (done.compareAndSet(false, true)) {
                        subscriber.onError(new IllegalArgumentException("non-positive request: " + n));
                    }
                    return;
                }
                if (done.compareAndSet(false, true)) {
                    if (mine.hasRemaining()) {
                        subscriber.onNext(mine);
                    }
                    subscriber.onComplete();
                }
            }

            @Override
            public void cancel() {
                done.set(true);
            }
        });
    }
}
