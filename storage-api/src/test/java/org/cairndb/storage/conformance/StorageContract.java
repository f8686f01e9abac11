package org.cairndb.storage.conformance;

import java.util.concurrent.TimeUnit;
import org.cairndb.storage.Storage;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The root of every conformance contract: a storage's test class implements contracts (or
 * {@link StorageConformance}, all of them) and supplies {@link #fixture()}.
 *
 * <p>Test methods of the contracts declare what they need as parameters and the kit's
 * extension supplies them: a {@link Storage} parameter is a fresh, empty storage opened by
 * the fixture; a {@link StorageFixture} parameter is the fixture itself (wrapped so that every
 * storage it opens, reopens or peers is closed after the test). Everything is closed after
 * each test, the fixture last.
 *
 * <p>A test that can hang only through a storage bug (a lost wake-up, a deadlock) fails by
 * this timeout instead of hanging the build; no test decides anything by elapsed time.
 */
@ExtendWith(KitExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public interface StorageContract {

    /**
     * The fixture for one test. Called once per test; the kit closes it after the test. A new
     * instance per call is simplest; a shared one must tolerate being closed after each test.
     */
    StorageFixture fixture();
}
