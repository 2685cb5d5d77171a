/**
 * The function: Funqy functions {@code predict}, {@code predictBatch} and {@code model} over small
 * POJOs, the model loaded once at startup by {@link dev.cifar.function.ModelService}, request
 * validation with limits, JSON error answers, readiness and metrics. The same code serves HTTP, AWS
 * Lambda and Knative, selected by Maven profile.
 */
package dev.cifar.function;
