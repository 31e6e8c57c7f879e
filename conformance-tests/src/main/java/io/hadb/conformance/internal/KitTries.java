package io.hadb.conformance.internal;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Sets a model-based rule's number of tries from {@value Kit#TRIES}: an annotation value is a
 * compile-time constant, and a subclass against a real server must be able to lower it.
 */
public final class KitTries implements AroundPropertyHook {
  @Override
  public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
    context.attributes().setTries(Kit.tries());
    return property.execute();
  }
}
