package org.cairndb.storage.conformance;

/**
 * Every contract of the conformance kit. A storage's test is one class:
 * <pre>
 * class TempStorageConformanceTest implements StorageConformance {
 *     public StorageFixture fixture() {
 *         return StorageFixture.of("temp:", () -&gt; Storages.open("temp:"));
 *     }
 * }
 * </pre>
 * Tests of capabilities the storage lacks are skipped, each with its reason. See
 * docs/conformance.md.
 */
public interface StorageConformance
        extends BasicStorageContract,
                TwoPhaseCommitContract,
                WriteConflictContract,
                ConflictResolutionContract,
                ReadConflictContract,
                SnapshotContract,
                OidAllocationContract,
                IterationContract,
                RestoreContract,
                HistoryContract,
                PackContract,
                UndoContract,
                MisuseContract,
                LifecycleContract,
                CommitLockContract,
                TidContract,
                ConcurrencyContract,
                SchedulePropertyContract,
                ReadOnlyContract,
                PeerContract {}
