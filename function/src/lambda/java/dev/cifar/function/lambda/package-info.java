/**
 * The AWS Lambda binding, compiled only with {@code -Plambda}: a request handler that hands each
 * event to the shared {@code predict} function.
 */
package dev.cifar.function.lambda;
