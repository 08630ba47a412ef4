package dev.sigil.config;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The running service: one event loop per CPU, and Netty's epoll transport on Linux x86_64 (the classifier
 * the pom ships); elsewhere (macOS, ARM) Vert.x falls back to NIO, which is no failure.
 */
@QuarkusTest
class EventLoopsTest {

    @Inject
    Vertx vertx;

    @Test
    void oneEventLoopPerCpuAndEpollOnLinuxX64() {
        // The pom ships the linux-x86_64 epoll library only: there it must be in use; elsewhere NIO is expected.
        boolean linuxX64 = "Linux".equals(System.getProperty("os.name")) && "amd64".equals(System.getProperty("os.arch"));
        assertThat(vertx.isNativeTransportEnabled()).as("epoll transport").isEqualTo(linuxX64);
        long loops = StreamSupport.stream(vertx.nettyEventLoopGroup().spliterator(), false).count();
        assertThat(loops).isEqualTo(Runtime.getRuntime().availableProcessors());
    }
}
