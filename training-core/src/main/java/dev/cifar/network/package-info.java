/**
 * Networks: definitions known by name and version ({@code seed} is the notebook's
 * {@code Net}), each with the input normalisation it was designed for, built as DJL blocks.
 */
package dev.cifar.network;
