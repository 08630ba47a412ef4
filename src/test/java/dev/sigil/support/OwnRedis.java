package dev.sigil.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager.TestInjector.AnnotatedAndMatchesType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * A redis-server of the test's own, for tests that stop, freeze, pause or kill Redis under Sigil, never the
 * shared one. Declare it with {@code @WithTestResource(value = OwnRedis.class, scope = MATCHING_RESOURCES)}:
 * every test class that does shares one Sigil boot and this one server, and gets it injected into its
 * {@link InjectOwnRedis} field. AOF with an fsync on every write is on, so a restart keeps every acknowledged
 * write (RedisAofRestartTest); the outage tests do not care what a restart keeps.
 * Each test starts it again if a previous test left it stopped ({@link RedisProcess#start()} is idempotent).
 */
public class OwnRedis implements QuarkusTestResourceLifecycleManager {

    private RedisProcess redis;

    @Override
    public Map<String, String> start() {
        try {
            redis = new RedisProcess(FreePorts.one(), Files.createTempDirectory("sigil-own-redis"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        redis.start();
        String url = "redis://127.0.0.1:" + redis.port();
        return Map.of("quarkus.redis.hosts", url, "%test.quarkus.redis.hosts", url);
    }

    @Override
    public void stop() {
        redis.stop();
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(redis, new AnnotatedAndMatchesType(InjectOwnRedis.class, RedisProcess.class));
    }
}
