package org.cairndb.tests.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Cairn's architecture, as ArchUnit rules (docs/architecture.md, "Modules and dependency direction", and the
 * rule that waits end when the event happens). Shared by {@link ArchitectureTest}, which
 * checks them on the production classes, and {@link ArchitectureRulesCanFailTest}, which shows
 * each rule catching a violation.
 *
 * <p>Every rule allows an empty selection: a module whose issue has not come yet has no classes.
 */
final class ArchitectureRules {
    static final String API = "org.cairndb.storage..";
    static final String CLIENT = "org.cairndb.client..";
    /** Concrete storages: mem:, temp:, postgres:// and cairn:// (storage-remote, a client of the server). */
    static final String MAPPING = "org.cairndb.mapping..";

    static final String TEMP = "org.cairndb.temp..";
    static final String POSTGRES = "org.cairndb.postgres..";
    static final String REMOTE = "org.cairndb.remote..";
    static final String[] STORAGES = {MAPPING, TEMP, POSTGRES, REMOTE};
    static final String SERVER = "org.cairndb.server..";
    static final String PROTOCOL = "org.cairndb.protocol..";

    private ArchitectureRules() {}

    /*
     * The graph these rules state (docs/architecture.md, "Modules and dependency direction"):
     *
     *   storage-api <- { storage-mapping, storage-temp, storage-postgres, storage-remote, client }
     *   storage-api <- protocol <- { storage-remote, storage-server }
     *
     * Each of the five above storage-api depends on nothing else of ours (storage-remote on the protocol too);
     * nothing below the object layer depends on it.
     */

    /** storage-api depends on no other module of ours. */
    static final ArchRule STORAGE_API_DEPENDS_ON_NOTHING_OF_OURS = noClasses()
            .that()
            .resideInAPackage(API)
            .should()
            .dependOnClassesThat(resideInCairnOutside(API))
            .allowEmptyShould(true)
            .because(
                    "storage-api is the bottom of the dependency graph (docs/architecture.md: storage-api depends on nothing of ours)");

    /** No storage (nor the server or protocol, which storages are served through) depends on the object layer. */
    static final ArchRule NO_STORAGE_DEPENDS_ON_CLIENT = noClasses()
            .that()
            .resideInAnyPackage(MAPPING, TEMP, POSTGRES, REMOTE, SERVER, PROTOCOL)
            .should()
            .dependOnClassesThat()
            .resideInAPackage(CLIENT)
            .allowEmptyShould(true)
            .because(
                    "a storage never imports the object layer (docs/architecture.md); storages depend only on storage-api");

    /** The object layer depends on storage-api only: no concrete storage (cairn:// included), no server, no protocol. */
    static final ArchRule OBJECT_LAYER_IMPORTS_NO_CONCRETE_STORAGE = noClasses()
            .that()
            .resideInAPackage(CLIENT)
            .should()
            .dependOnClassesThat(resideInCairnOutside(API, CLIENT))
            .allowEmptyShould(true)
            .because(
                    "the object layer opens storages by URI through storage-api (docs/architecture.md), never by class");

    /** mem: depends on storage-api only. */
    static final ArchRule STORAGES_INDEPENDENT = noClasses()
            .that()
            .resideInAPackage(MAPPING)
            .should()
            .dependOnClassesThat(resideInCairnOutside(API, MAPPING))
            .allowEmptyShould(true)
            .because("every storage depends only on storage-api");

    /** temp: depends on storage-api only. */
    static final ArchRule TEMP_INDEPENDENT = noClasses()
            .that()
            .resideInAPackage(TEMP)
            .should()
            .dependOnClassesThat(resideInCairnOutside(API, TEMP))
            .allowEmptyShould(true)
            .because("every storage depends only on storage-api");

    /** postgres:// depends on storage-api only. */
    static final ArchRule POSTGRES_INDEPENDENT = noClasses()
            .that()
            .resideInAPackage(POSTGRES)
            .should()
            .dependOnClassesThat(resideInCairnOutside(API, POSTGRES))
            .allowEmptyShould(true)
            .because("every storage depends only on storage-api");

    /** cairn:// depends on storage-api and the protocol it speaks, never on the server it talks to. */
    static final ArchRule REMOTE_INDEPENDENT = noClasses()
            .that()
            .resideInAPackage(REMOTE)
            .should()
            .dependOnClassesThat(resideInCairnOutside(API, PROTOCOL, REMOTE))
            .allowEmptyShould(true)
            .because(
                    "every storage depends only on storage-api; cairn:// also speaks the protocol, which the server shares");

    /** The protocol is messages and their bytes; transports (Netty on the server, sockets in cairn://) live beside it. */
    static final ArchRule PROTOCOL_HAS_NO_TRANSPORT = noClasses()
            .that()
            .resideInAPackage(PROTOCOL)
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.netty..")
            .allowEmptyShould(true)
            .because("protocol is shared by the server (Netty) and the cairn:// client (blocking sockets), so it names"
                    + " no transport (docs/architecture.md)");

    /** No timed sleep or wait decides when anything proceeds in production code. */
    static final ArchRule NO_TIMED_SLEEPS_OR_WAITS = noClasses()
            .that()
            .resideInAPackage("org.cairndb..")
            .should()
            .callMethodWhere(timedSleepOrWait())
            .allowEmptyShould(true)
            .because(
                    "waits end when the event happens (condition signalling, futures completed by the event), never on a timer;"
                            + " a deadline that fails a request uses a timed await on the event's condition or future instead");

    static final List<ArchRule> ALL = List.of(
            STORAGE_API_DEPENDS_ON_NOTHING_OF_OURS,
            NO_STORAGE_DEPENDS_ON_CLIENT,
            OBJECT_LAYER_IMPORTS_NO_CONCRETE_STORAGE,
            STORAGES_INDEPENDENT,
            TEMP_INDEPENDENT,
            POSTGRES_INDEPENDENT,
            REMOTE_INDEPENDENT,
            PROTOCOL_HAS_NO_TRANSPORT,
            NO_TIMED_SLEEPS_OR_WAITS);

    /** Classes of ours (org.cairndb..) in none of the given packages (each written "a.b.."). */
    private static DescribedPredicate<JavaClass> resideInCairnOutside(String... pkgs) {
        List<String> prefixes =
                Arrays.stream(pkgs).map(p -> p.substring(0, p.length() - 2)).toList();
        return new DescribedPredicate<>("reside in org.cairndb.. outside " + String.join(", ", pkgs)) {
            @Override
            public boolean test(JavaClass c) {
                String name = c.getPackageName();
                return name.startsWith("org.cairndb")
                        && prefixes.stream().noneMatch(prefix -> name.equals(prefix) || name.startsWith(prefix + "."));
            }
        };
    }

    /**
     * Thread.sleep, TimeUnit.sleep, Object.wait(timeout) (final in Object, so any owner) and
     * LockSupport.parkNanos/parkUntil.
     */
    static DescribedPredicate<JavaMethodCall> timedSleepOrWait() {
        return new DescribedPredicate<>(
                "Thread.sleep, TimeUnit.sleep, Object.wait(timeout) or LockSupport.parkNanos/parkUntil") {
            @Override
            public boolean test(JavaMethodCall call) {
                String name = call.getTarget().getName();
                JavaClass owner = call.getTargetOwner();
                List<JavaClass> params = call.getTarget().getRawParameterTypes();
                if (name.equals("sleep")
                        && (owner.isAssignableTo(Thread.class) || owner.isAssignableTo(TimeUnit.class))) return true;
                if (name.equals("wait")
                        && !params.isEmpty()
                        && params.get(0).getName().equals("long")) return true;
                return (name.equals("parkNanos") || name.equals("parkUntil"))
                        && owner.isEquivalentTo(LockSupport.class);
            }
        };
    }

    /** Production classes only: no test-classes directories and no test-jars (the conformance kit). */
    static final class ProductionOnly implements ImportOption {
        private final ImportOption noTests = new ImportOption.DoNotIncludeTests();

        @Override
        public boolean includes(Location location) {
            return noTests.includes(location)
                    && !location.contains("-tests.jar")
                    && !location.contains("/test-classes/");
        }
    }
}
