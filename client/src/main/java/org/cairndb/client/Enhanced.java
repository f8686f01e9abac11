package org.cairndb.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Put on a class by the Cairn enhancer (module cairn-enhancer), never by hand: the class's reads
 * and writes of stored fields of persistent objects call {@link PersistentHooks}. A class
 * carrying it is not enhanced again. README, "Transparent persistence".
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Enhanced {}
