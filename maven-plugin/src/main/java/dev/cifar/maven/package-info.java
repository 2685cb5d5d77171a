/**
 * The Maven goals: thin Mojos that read their parameters, call training-core, log its progress and
 * turn its typed errors into {@code MojoExecutionException}s with the same message. No training
 * logic lives here.
 */
package dev.cifar.maven;
