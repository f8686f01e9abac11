package org.cairndb.tests.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
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
    static final String CLIENT_REMOTE = "org.cairndb.client.remote..";
    /** Concrete storages and what serves them. */
    static final String[] STORAGES = {"org.cairndb.mapping..", "org.cairndb.temp..", "org.cairndb.postgres.."};
    static final String SERVER = "org.cairndb.server..";
    static final String PROTOCOL = "org.cairndb.protocol..";

    private ArchitectureRules() {}

    /** storage-api depends on no other module of ours. */
    static final ArchRule STORAGE_API_DEPENDS_ON_NOTHING_OF_OURS = noClasses()
            .that().resideInAPackage(API)
            .should().dependOnClassesThat(resideInCairnOutside(API))
            .allowEmptyShould(true)
            .because("storage-api is the bottom of the dependency graph (docs/architecture.md: storage-api depends on nothing of ours)");

    /** No storage (nor the server or protocol, which storages are served through) depends on the object layer. */
    static final ArchRule NO_STORAGE_DEPENDS_ON_CLIENT = noClasses()
            .that().resideInAnyPackage(STORAGES[0], STORAGES[1], STORAGES[2], SERVER, PROTOCOL)
            .should().dependOnClassesThat().resideInAPackage(CLIENT)
            .allowEmptyShould(true)
            .because("a storage never imports the object layer (docs/architecture.md); storages depend only on storage-api");

    /** The object layer (client, except its network storage client) does not import a concrete storage. */
    static final ArchRule OBJECT_LAYER_IMPORTS_NO_CONCRETE_STORAGE = noClasses()
            .that().resideInAPackage(CLIENT).and().resideOutsideOfPackage(CLIENT_REMOTE)
            .should().dependOnClassesThat().resideInAnyPackage(STORAGES[0], STORAGES[1], STORAGES[2], SERVER)
            .allowEmptyShould(true)
            .because("the object layer opens storages by URI through storage-api (docs/architecture.md), never by class");

    /** Storages do not depend on each other. */
    static final ArchRule STORAGES_INDEPENDENT = noClasses()
            .that().resideInAPackage(STORAGES[0])
            .should().dependOnClassesThat().resideInAnyPackage(STORAGES[1], STORAGES[2])
            .orShould().dependOnClassesThat().resideInAnyPackage(SERVER)
            .allowEmptyShould(true)
            .because("every storage depends only on storage-api");

    static final ArchRule TEMP_INDEPENDENT = noClasses()
            .that().resideInAPackage(STORAGES[1])
            .should().dependOnClassesThat().resideInAnyPackage(STORAGES[0], STORAGES[2], SERVER)
            .allowEmptyShould(true)
            .because("every storage depends only on storage-api");

    static final ArchRule POSTGRES_INDEPENDENT = noClasses()
            .that().resideInAPackage(STORAGES[2])
            .should().dependOnClassesThat().resideInAnyPackage(STORAGES[0], STORAGES[1], SERVER)
            .allowEmptyShould(true)
            .because("every storage depends only on storage-api");

    /** No timed sleep or wait decides when anything proceeds in production code. */
    static final ArchRule NO_TIMED_SLEEPS_OR_WAITS = noClasses()
            .that().resideInAPackage("org.cairndb..")
            .should().callMethodWhere(timedSleepOrWait())
            .allowEmptyShould(true)
            .because("waits end when the event happens (condition signalling, futures completed by the event), never on a timer;"
                    + " a deadline that fails a request uses a timed await on the event's condition or future instead");

    static final List<ArchRule> ALL = List.of(STORAGE_API_DEPENDS_ON_NOTHING_OF_OURS, NO_STORAGE_DEPENDS_ON_CLIENT,
            OBJECT_LAYER_IMPORTS_NO_CONCRETE_STORAGE, STORAGES_INDEPENDENT, TEMP_INDEPENDENT, POSTGRES_INDEPENDENT,
            NO_TIMED_SLEEPS_OR_WAITS);

    private static DescribedPredicate<JavaClass> resideInCairnOutside(String pkg) {
        String prefix = pkg.substring(0, pkg.length() - 2);
        return new DescribedPredicate<>("reside in org.cairndb.. outside " + pkg) {
            @Override
            public boolean test(JavaClass c) {
                String name = c.getPackageName();
                return name.startsWith("org.cairndb") && !(name.equals(prefix) || name.startsWith(prefix + "."));
            }
        };
    }

    /**
     * Thread.sleep, TimeUnit.sleep, Object.wait(timeout) (final in Object, so any owner) and
     * LockSupport.parkNanos/parkUntil.
     */
    static DescribedPredicate<JavaMethodCall> timedSleepOrWait() {
        return new DescribedPredicate<>("Thread.sleep, TimeUnit.sleep, Object.wait(timeout) or LockSupport.parkNanos/parkUntil") {
            @Override
            public boolean test(JavaMethodCall call) {
                String name = call.getTarget().getName();
                JavaClass owner = call.getTargetOwner();
                List<JavaClass> params = call.getTarget().getRawParameterTypes();
                if (name.equals("sleep") && (owner.isAssignableTo(Thread.class) || owner.isAssignableTo(TimeUnit.class))) return true;
                if (name.equals("wait") && !params.isEmpty() && params.get(0).getName().equals("long")) return true;
                return (name.equals("parkNanos") || name.equals("parkUntil")) && owner.isEquivalentTo(LockSupport.class);
            }
        };
    }

    /** Production classes only: no test-classes directories and no test-jars (the conformance kit). */
    static final class ProductionOnly implements ImportOption {
        private final ImportOption noTests = new ImportOption.DoNotIncludeTests();

        @Override
        public boolean includes(Location location) {
            return noTests.includes(location) && !location.contains("-tests.jar") && !location.contains("/test-classes/");
        }
    }
}
