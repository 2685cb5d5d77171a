/**
 * The hostile-request corpus: {@code src/test/resources/bad-requests/*.http}, written by {@link
 * dev.cifar.function.corpus.CorpusWriter} and replayed against the function by {@code
 * BadRequestCorpusTest}, each with the status and error it must get.
 */
package dev.cifar.function.corpus;
