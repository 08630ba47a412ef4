package dev.sigil.oauth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read as it streams, at most {@code max} bytes: the byte that would pass the cap (or a
 * declared {@code Content-Length} above it) cancels the subscription, and the JDK client closes the
 * connection. A chunked body has no length to check in advance, so counting is the only bound. One
 * instance per request (redirects are not followed); {@link #abort()} ends it from a timer.
 */
final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

    private final int max;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private Flow.Subscription subscription;
    private long declared = -1;

    CappedBody(int max) {
        this.max = max;
    }

    /** The {@link HttpResponse.BodyHandler}: this subscriber, told the declared length. */
    HttpResponse.BodySubscriber<byte[]> handler(HttpResponse.ResponseInfo info) {
        declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
        return this;
    }

    @Override
    public synchronized void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (declared > max) {
            fail(new IOException("declared body larger than " + max + " bytes"));
        } else if (body.isDone()) {
            s.cancel(); // aborted before the answer came
        } else {
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public synchronized void onNext(List<ByteBuffer> items) {
        for (ByteBuffer b : items) {
            if (body.isDone()) {
                return;
            }
            if (out.size() + b.remaining() > max) {
                fail(new IOException("body larger than " + max + " bytes"));
                return;
            }
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            out.write(chunk, 0, chunk.length);
        }
    }

    @Override
    public void onError(Throwable t) {
        body.completeExceptionally(t);
    }

    @Override
    public synchronized void onComplete() {
        body.complete(out.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }

    /** Gives up (the fetch's time is out): closes the connection if the answer has started. */
    synchronized void abort() {
        fail(new IOException("fetch took too long"));
    }

    private void fail(IOException e) {
        body.completeExceptionally(e);
        if (subscription != null) {
            subscription.cancel();
        }
    }
}
