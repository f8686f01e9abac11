package org.cairndb.testkit;

import org.cairndb.storage.Storage;
import org.cairndb.storage.uri.Storages;

/** The conflict kit over Cairn's collections on {@code temp:} (MVCC, resolves conflicts). */
class TempConflictKitTest extends ObjectLayerConflictContract {
    @Override
    Storage openStorage() {
        return Storages.open("temp:");
    }
}
