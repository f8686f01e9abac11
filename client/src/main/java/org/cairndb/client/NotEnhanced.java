package org.cairndb.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keeps the Cairn enhancer away from a persistent class whose accessors call
 * {@code activate()}/{@code changing()} by hand: its fields are not hooked, in the class itself
 * or anywhere else (fields a subclass declares still are). For measuring hand-written accessors
 * against enhanced ones, and for tests that need a class with a planted missing call. README,
 * "Transparent persistence".
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface NotEnhanced {}
