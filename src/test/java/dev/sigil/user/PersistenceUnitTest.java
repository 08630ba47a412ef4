package dev.sigil.user;

import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDBC datasource is there for Flyway only: exactly one Hibernate boot, the reactive one. A blocking
 * ORM persistence unit beside it (quarkus.hibernate-orm.blocking) would cost a second boot at every start.
 */
@QuarkusTest
class PersistenceUnitTest {

    @Test
    void onlyTheReactivePersistenceUnitStarts() {
        assertThat(Arc.container().select(Mutiny.SessionFactory.class).isResolvable()).isTrue();
        assertThat(Arc.container().select(org.hibernate.SessionFactory.class).isResolvable()).isFalse();
        assertThat(Arc.container().select(jakarta.persistence.EntityManagerFactory.class).isResolvable()).isFalse();
    }
}
