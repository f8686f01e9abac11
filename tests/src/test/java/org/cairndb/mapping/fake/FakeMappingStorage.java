package org.cairndb.mapping.fake;

/** Test fixture for ArchitectureRulesCanFailTest: stands for a concrete storage class. */
public class FakeMappingStorage {}
