package dev.sigil.support;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The unit tier: a plain JUnit class that boots no Quarkus (it may use the test run's redis-server, which
 * starts in a fraction of a second). {@code ./mvnw test -Dgroups=unit} runs only these; TestTiersTest
 * fails when a plain test class lacks the tag or a {@code @QuarkusTest} carries it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(UnitTest.TAG)
public @interface UnitTest {
    String TAG = "unit";
}
