package org.cairndb.testkit;

import org.cairndb.storage.Storage;
import org.cairndb.storage.uri.Storages;

/**
 * The conflict kit over Cairn's collections on {@code mem:} (Chronicle Map; conflicts are
 * detected, never resolved: commutative operations reach the application only as retries
 * inside {@code run(...)}, and explicit commits may conflict).
 */
class MemConflictKitTest extends ObjectLayerConflictContract {
    @Override
    Storage openStorage() {
        return Storages.open("mem:");
    }
}
