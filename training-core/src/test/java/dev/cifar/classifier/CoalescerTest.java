package dev.cifar.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The coalescer on a plain function (doubling numbers), where a latch inside the function holds the
 * only resource so that requests queue behind it in a known state: no timing involved.
 */
class CoalescerTest {

  private static final Duration LONG = Duration.ofSeconds(60);

  private final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
  private final List<String> batchThreads = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch holding = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final ExecutorService threads = Executors.newCachedThreadPool();

  /** Doubles each input; input 0 holds the resource until {@link #release}; input 13 fails. */
  private List<Integer> doubling(String resource, List<Integer> inputs) {
    batchSizes.add(inputs.size());
    batchThreads.add(Thread.currentThread().getName());
    if (inputs.contains(0)) {
      holding.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
    if (inputs.contains(13)) {
      throw new IllegalArgumentException("13 is unlucky");
    }
    return inputs.stream().map(i -> 2 * i).toList();
  }

  private Coalescer<String, Integer, Integer> coalescer(
      int maxBatch, Duration maxDelay, Duration timeout) {
    return new Coalescer<>(List.of("the resource"), this::doubling, maxBatch, maxDelay, timeout);
  }

  @AfterEach
  void stopThreads() {
    release.countDown();
    threads.shutdownNow();
  }

  /** Submits input 0 in another thread and returns once it holds the only resource. */
  private Future<Integer> holdTheResource(Coalescer<String, Integer, Integer> c)
      throws InterruptedException {
    Future<Integer> held = threads.submit(() -> c.submit(0));
    holding.await();
    return held;
  }

  private List<Future<Integer>> queue(Coalescer<String, Integer, Integer> c, int from, int count) {
    List<Future<Integer>> futures = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      int input = i;
      futures.add(threads.submit(() -> c.submit(input)));
    }
    while (c.queued() < count) {
      Thread.onSpinWait();
    }
    return futures;
  }

  @Test
  void aLoneRequestRunsAtOnceInTheCallersThread() {
    try (Coalescer<String, Integer, Integer> c = coalescer(64, Duration.ZERO, LONG)) {
      assertThat(c.submit(21)).isEqualTo(42);
      assertThat(batchSizes).containsExactly(1);
      assertThat(batchThreads).containsExactly(Thread.currentThread().getName());
      assertThat(c.statistics()).isEqualTo(new BatchStatistics(1, 1, 1));
    }
  }

  @Test
  void requestsQueuedWhileTheResourceIsBusyGoTogetherInOneBatch() throws Exception {
    try (Coalescer<String, Integer, Integer> c = coalescer(64, Duration.ZERO, LONG)) {
      Future<Integer> held = holdTheResource(c);
      List<Future<Integer>> queued = queue(c, 100, 10);
      release.countDown();
      assertThat(held.get()).isZero();
      for (int i = 0; i < queued.size(); i++) {
        assertThat(queued.get(i).get()).isEqualTo(2 * (100 + i));
      }
      assertThat(batchSizes).containsExactly(1, 10);
      BatchStatistics s = c.statistics();
      assertThat(s).isEqualTo(new BatchStatistics(11, 2, 10));
      assertThat(s.meanBatch()).isEqualTo(5.5);
    }
  }

  @Test
  void batchesAreBoundedByMaxBatchAndServedOldestFirst() throws Exception {
    try (Coalescer<String, Integer, Integer> c = coalescer(4, Duration.ZERO, LONG)) {
      Future<Integer> held = holdTheResource(c);
      List<Future<Integer>> queued = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        queued.addAll(queue(c, 100 + i, 1));
        while (c.queued() < i + 1) {
          Thread.onSpinWait();
        }
      }
      release.countDown();
      held.get();
      for (int i = 0; i < queued.size(); i++) {
        assertThat(queued.get(i).get()).isEqualTo(2 * (100 + i));
      }
      assertThat(batchSizes).containsExactly(1, 4, 4, 2);
      assertThat(c.statistics().largestBatch()).isEqualTo(4);
    }
  }

  @Test
  void aFailingInputFailsOnlyItsOwnRequest() throws Exception {
    try (Coalescer<String, Integer, Integer> c = coalescer(64, Duration.ZERO, LONG)) {
      Future<Integer> held = holdTheResource(c);
      List<Future<Integer>> queued = queue(c, 11, 4);
      release.countDown();
      held.get();
      assertThat(queued.get(0).get()).isEqualTo(22);
      assertThat(queued.get(1).get()).isEqualTo(24);
      assertThatThrownBy(() -> queued.get(2).get())
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("13 is unlucky");
      assertThat(queued.get(3).get()).isEqualTo(28);
      assertThat(batchSizes).containsExactly(1, 4, 1, 1, 1, 1);
    }
  }

  @Test
  void aRequestNoPassTakesWithinTheTimeoutIsBusyAndLeavesTheQueue() throws Exception {
    try (Coalescer<String, Integer, Integer> c =
        coalescer(64, Duration.ZERO, Duration.ofMillis(50))) {
      Future<Integer> held = holdTheResource(c);
      assertThatThrownBy(() -> c.submit(5))
          .isInstanceOf(ClassifierBusyException.class)
          .hasMessageContaining("within 50 ms");
      assertThatThrownBy(c::borrow).isInstanceOf(ClassifierBusyException.class);
      assertThat(c.queued()).isZero();
      release.countDown();
      held.get();
      assertThat(c.submit(6)).isEqualTo(12);
      assertThat(batchSizes).containsExactly(1, 1);
    }
  }

  @Test
  void closingFailsQueuedRequestsAndRefusesNewOnesWhileTheRunningPassFinishes() throws Exception {
    Coalescer<String, Integer, Integer> c = coalescer(64, Duration.ZERO, LONG);
    Future<Integer> held = holdTheResource(c);
    List<Future<Integer>> queued = queue(c, 100, 3);
    c.close();
    for (Future<Integer> f : queued) {
      assertThatThrownBy(f::get)
          .cause()
          .isInstanceOf(ClassifierClosedException.class)
          .hasMessageContaining("closed");
    }
    assertThatThrownBy(() -> c.submit(1)).isInstanceOf(ClassifierClosedException.class);
    assertThatThrownBy(c::borrow).isInstanceOf(ClassifierClosedException.class);
    release.countDown();
    assertThat(held.get()).isZero();
    assertThat(c.drainResources(LONG)).containsExactly("the resource");
    assertThat(batchSizes).containsExactly(1);
  }

  @Test
  void aBorrowedResourceMakesSinglesQueueAndItsReleaseRunsThem() throws Exception {
    try (Coalescer<String, Integer, Integer> c = coalescer(64, Duration.ZERO, LONG)) {
      String resource = c.borrow();
      List<Future<Integer>> queued = queue(c, 1, 5);
      c.release(resource);
      for (int i = 0; i < queued.size(); i++) {
        assertThat(queued.get(i).get()).isEqualTo(2 * (1 + i));
      }
      assertThat(batchSizes).containsExactly(5);
    }
  }

  @Test
  void withAMaxDelayALoneRequestIsStillAnsweredAlone() {
    try (Coalescer<String, Integer, Integer> c = coalescer(64, Duration.ofMillis(5), LONG)) {
      assertThat(c.submit(4)).isEqualTo(8);
      assertThat(batchSizes).containsExactly(1);
    }
  }

  @Test
  void configurationIsChecked() {
    assertThatThrownBy(
            () ->
                new Coalescer<String, Integer, Integer>(
                    List.of(), this::doubling, 4, Duration.ZERO, LONG))
        .hasMessageContaining("at least one resource");
    assertThatThrownBy(() -> new Coalescer<>(List.of("r"), this::doubling, 0, Duration.ZERO, LONG))
        .hasMessageContaining("at least 1, not 0");
  }
}
