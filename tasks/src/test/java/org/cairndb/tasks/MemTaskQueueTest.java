package org.cairndb.tasks;

/** The queue on mem:, which only detects conflicts: the object layer merges the shards' concurrent writes itself. */
class MemTaskQueueTest extends TaskQueueTest {
    @Override
    String uri() {
        return "mem:";
    }
}
