/**
 * The Knative Eventing binding, compiled only with {@code -Pknative}: CloudEvents in binary or
 * structured mode dispatched by {@code ce-type} to the shared functions.
 */
package dev.cifar.function.knative;
