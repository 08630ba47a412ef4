package dev.sigil.config;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The running service: Netty's epoll transport (on Linux, where CI runs) and one event loop per CPU. */
@QuarkusTest
class EventLoopsTest {

    @Inject
    Vertx vertx;

    @Test
    void epollTransportAndOneEventLoopPerCpu() {
        assertThat(vertx.isNativeTransportEnabled()).as("epoll transport").isTrue();
        long loops = StreamSupport.stream(((VertxInternal) vertx).getEventLoopGroup().spliterator(), false).count();
        assertThat(loops).isEqualTo(Runtime.getRuntime().availableProcessors());
    }
}
