package org.cairndb.storage.matrix;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The storage matrix: the storages a test class (or one jqwik property) runs on, one run per
 * storage, each named after its storage so a report says which one failed (after Caffeine's
 * {@code @CacheSpec}). Instead of a subclass per storage:
 *
 * <pre>{@code
 * @OnStorages({StorageKind.MEM, StorageKind.TEMP, StorageKind.CAIRN_TEMP})
 * class CounterTest {
 *     @Test void merges(Storage storage) { ... }                        // JUnit: once per storage
 *     @Property void neverLost(Storage storage, @ForAll int n) { ... }  // jqwik: once per storage
 * }
 * }</pre>
 *
 * <p>On a class, JUnit Jupiter runs the class once per storage (a class template: the report
 * shows {@code [temp:]}, {@code [mem:]}, ... as containers), and jqwik runs each property once
 * per storage, a failure naming the storage. On a jqwik property it overrides the class's list.
 *
 * <p>What a test receives: a {@link StorageKind} parameter (the storage of this run); a
 * field of type {@code StorageKind} is set to it (so a conformance contract's
 * {@code fixture()} can return {@code storage.fixture(getClass())}); a {@code Storage}
 * parameter: in JUnit a fresh storage closed after the test (unless the class is a
 * conformance {@code StorageContract}, whose kit supplies it from {@code fixture()}), in
 * jqwik one storage per class and kind shared by every try (a try works on fresh objects),
 * closed after the class. See docs/conformance.md.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ClassTemplate
@ExtendWith(StorageMatrixExtension.class)
@AddLifecycleHook(StorageMatrixHook.class)
public @interface OnStorages {
    /** The storages, in the order the runs happen. */
    StorageKind[] value();
}
