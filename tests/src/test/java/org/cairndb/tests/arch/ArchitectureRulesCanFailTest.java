package org.cairndb.tests.arch;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Each architecture rule catches a violation (so a green ArchitectureTest means something). */
class ArchitectureRulesCanFailTest {

    /** Violates the timing rule four ways. */
    static final class Sleeper {
        private final Object monitor = new Object();

        void sleep() throws InterruptedException {
            Thread.sleep(10);
        }

        void unitSleep() throws InterruptedException {
            TimeUnit.MILLISECONDS.sleep(10);
        }

        void timedWait() throws InterruptedException {
            synchronized (monitor) {
                monitor.wait(10);
            }
        }

        void park() {
            LockSupport.parkNanos(10);
        }
    }

    /** Waits without a timer: allowed. */
    static final class Waiter {
        private final Object monitor = new Object();

        void await() throws InterruptedException {
            synchronized (monitor) {
                monitor.wait();
            }
        }
    }

    @Test
    void timedSleepRule_catchesEachForm() {
        JavaClasses classes = new ClassFileImporter().importClasses(Sleeper.class);
        assertThatThrownBy(() -> ArchitectureRules.NO_TIMED_SLEEPS_OR_WAITS.check(classes))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Thread.sleep(long)")
                .hasMessageContaining("TimeUnit.sleep(long)")
                .hasMessageContaining("wait(long)")
                .hasMessageContaining("LockSupport.parkNanos(long)");
    }

    @Test
    void timedSleepRule_allowsUntimedWait() {
        ArchitectureRules.NO_TIMED_SLEEPS_OR_WAITS.check(new ClassFileImporter().importClasses(Waiter.class));
    }

    @Test
    void dependencyRules_catchViolations() {
        JavaClasses classes = new ClassFileImporter()
                .importClasses(
                        org.cairndb.storage.fake.ApiThatReachesUp.class,
                        org.cairndb.mapping.fake.FakeMappingStorage.class,
                        org.cairndb.temp.fake.StorageUsingClient.class,
                        org.cairndb.client.fake.ClientUsingStorage.class);
        assertThatThrownBy(() -> ArchitectureRules.STORAGE_API_DEPENDS_ON_NOTHING_OF_OURS.check(classes))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("org.cairndb.storage.fake.ApiThatReachesUp");
        assertThatThrownBy(() -> ArchitectureRules.NO_STORAGE_DEPENDS_ON_CLIENT.check(classes))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("org.cairndb.temp.fake.StorageUsingClient");
        assertThatThrownBy(() -> ArchitectureRules.OBJECT_LAYER_IMPORTS_NO_CONCRETE_STORAGE.check(classes))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("org.cairndb.client.fake.ClientUsingStorage");
        assertThatThrownBy(() -> ArchitectureRules.TEMP_INDEPENDENT.check(classes))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("org.cairndb.temp.fake.StorageUsingClient");
    }

    /** cairn:// is a storage like any other: the object layer may not import it, nor it another storage. */
    @Test
    void dependencyRules_treatRemoteAsAStorage() {
        JavaClasses classes = new ClassFileImporter()
                .importClasses(
                        org.cairndb.mapping.fake.FakeMappingStorage.class,
                        org.cairndb.remote.fake.RemoteUsingStorage.class,
                        org.cairndb.client.fake.ClientUsingRemote.class);
        assertThatThrownBy(() -> ArchitectureRules.OBJECT_LAYER_IMPORTS_NO_CONCRETE_STORAGE.check(classes))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("org.cairndb.client.fake.ClientUsingRemote")
                .hasMessageContaining("org.cairndb.remote.fake.RemoteUsingStorage");
        assertThatThrownBy(() -> ArchitectureRules.REMOTE_INDEPENDENT.check(classes))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("org.cairndb.remote.fake.RemoteUsingStorage");
    }

    @Test
    void protocolRule_catchesATransportInTheProtocol() {
        JavaClasses classes = new ClassFileImporter().importClasses(org.cairndb.protocol.fake.ProtocolUsingNetty.class);
        assertThatThrownBy(() -> ArchitectureRules.PROTOCOL_HAS_NO_TRANSPORT.check(classes))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("org.cairndb.protocol.fake.ProtocolUsingNetty");
    }
}
