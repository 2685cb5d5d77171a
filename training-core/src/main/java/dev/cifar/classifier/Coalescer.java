package dev.cifar.classifier;

import dev.cifar.CifarException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Coalesces concurrent single requests into batches, one forward pass each, over a pool of
 * resources (the predictors): a dynamic batcher without a thread of its own. A caller queues its
 * input; when a resource is free it takes it and runs everything queued (up to {@code maxBatch},
 * oldest first) as one batch, answering every caller in it, until its own input is answered. A
 * request that arrives alone therefore runs at once in its own thread; requests that arrive while
 * every resource is busy wait in the queue and go together in the next batch. With a positive
 * {@code maxDelay} a batch that is not full waits up to that long for more requests.
 *
 * <p>Errors stay per request: when a batch fails, its inputs are run again one by one so that only
 * the failing ones get the error. A request still queued when its wait timeout passes gets a {@link
 * ClassifierBusyException}; one queued when the coalescer closes a {@link
 * ClassifierClosedException}.
 *
 * @param <R> the resource a forward pass needs (a predictor)
 * @param <I> one input
 * @param <O> one output
 */
final class Coalescer<R, I, O> implements AutoCloseable {

  /** Runs one batch on one resource. */
  @FunctionalInterface
  interface BatchFunction<R, I, O> {
    /**
     * Runs the batch.
     *
     * @param resource the resource, held by this call alone
     * @param inputs one or more inputs
     * @return one output per input, in order
     */
    List<O> apply(R resource, List<I> inputs);
  }

  private static final long FILL_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(20);

  private final BlockingQueue<R> idle;
  private final int resources;
  private final BatchFunction<R, I, O> function;
  private final int maxBatch;
  private final long maxDelayNanos;
  private final Duration waitTimeout;
  private final ConcurrentLinkedQueue<Pending<I, O>> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong passes = new AtomicLong();
  private final AtomicInteger largest = new AtomicInteger();
  private volatile boolean closed;

  Coalescer(
      List<R> resources,
      BatchFunction<R, I, O> function,
      int maxBatch,
      Duration maxDelay,
      Duration waitTimeout) {
    if (resources.isEmpty()) {
      throw new IllegalArgumentException("a coalescer needs at least one resource");
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("the largest batch must be at least 1, not " + maxBatch);
    }
    this.idle = new ArrayBlockingQueue<>(resources.size(), false, resources);
    this.resources = resources.size();
    this.function = function;
    this.maxBatch = maxBatch;
    this.maxDelayNanos = maxDelay.toNanos();
    this.waitTimeout = waitTimeout;
  }

  /**
   * Answers one input, batched with whatever else is queued.
   *
   * @param input the input
   * @return its output
   * @throws ClassifierBusyException when no resource took the input within the wait timeout
   * @throws ClassifierClosedException when the coalescer is closed before the input ran
   * @throws CifarException when the forward pass failed for this input, or the wait was interrupted
   */
  O submit(I input) {
    checkOpen();
    Pending<I, O> mine = new Pending<>(input, Thread.currentThread());
    queued.incrementAndGet();
    queue.add(mine);
    requests.incrementAndGet();
    if (closed && mine.cancel()) {
      queued.decrementAndGet();
      throw closedException();
    }
    long deadline = System.nanoTime() + waitTimeout.toNanos();
    boolean interrupted = false;
    try {
      while (!mine.done) {
        if (mine.waiting()) {
          R resource = idle.poll();
          if (resource != null) {
            serve(resource, mine);
            continue;
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            if (mine.cancel()) {
              queued.decrementAndGet();
              throw new ClassifierBusyException(
                  "no forward pass took this image within " + waitTimeout.toMillis() + " ms");
            }
            continue;
          }
          LockSupport.parkNanos(this, left);
        } else {
          LockSupport.park(this);
        }
        if (Thread.interrupted()) {
          interrupted = true;
          if (mine.cancel()) {
            queued.decrementAndGet();
            throw new CifarException("Interrupted while waiting for a forward pass");
          }
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return mine.answer();
  }

  /**
   * Takes a resource for a batch of the caller's own, waiting up to the wait timeout.
   *
   * @return the resource; give it back with {@link #release}
   * @throws ClassifierBusyException when none became free in time
   * @throws ClassifierClosedException when the coalescer is closed
   */
  R borrow() {
    checkOpen();
    R resource;
    try {
      resource = idle.poll(waitTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CifarException("Interrupted while waiting for a predictor", e);
    }
    if (resource == null) {
      throw new ClassifierBusyException(
          "no predictor became free within " + waitTimeout.toMillis() + " ms");
    }
    if (closed) {
      release(resource);
      throw closedException();
    }
    return resource;
  }

  /**
   * Gives a resource back and wakes the oldest queued request, if any, to run the queue.
   *
   * @param resource a resource from {@link #borrow}
   */
  void release(R resource) {
    idle.add(resource);
    if (queued.get() > 0) {
      for (Pending<I, O> p : queue) {
        if (p.waiting()) {
          LockSupport.unpark(p.owner);
          return;
        }
      }
    }
  }

  /**
   * Returns what the coalescer has done so far.
   *
   * @return requests, forward passes and the largest batch
   */
  BatchStatistics statistics() {
    return new BatchStatistics(requests.get(), passes.get(), largest.get());
  }

  /**
   * Returns how many requests wait for a forward pass right now.
   *
   * @return the number queued and not yet taken
   */
  int queued() {
    return queued.get();
  }

  /**
   * Refuses new requests and fails every queued one with a {@link ClassifierClosedException};
   * forward passes already running finish and answer their requests.
   */
  @Override
  public void close() {
    closed = true;
    for (Pending<I, O> p; (p = queue.poll()) != null; ) {
      if (p.cancel()) {
        queued.decrementAndGet();
        p.fail(closedException());
      }
    }
  }

  /**
   * Waits until every resource is back (no forward pass running) and takes them all, for the owner
   * to free; call after {@link #close()}.
   *
   * @param timeout how long to wait for passes still running
   * @return the resources that came back within the timeout
   */
  List<R> drainResources(Duration timeout) {
    List<R> out = new ArrayList<>(resources);
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean interrupted = false;
    while (out.size() < resources) {
      try {
        R r = idle.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (r == null) {
          break;
        }
        out.add(r);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  private void serve(R resource, Pending<I, O> mine) {
    try {
      while (!mine.done) {
        List<Pending<I, O>> batch = take(maxBatch);
        if (batch.isEmpty()) {
          return;
        }
        if (maxDelayNanos > 0 && batch.size() < maxBatch) {
          fill(batch);
        }
        run(resource, batch);
      }
    } finally {
      release(resource);
    }
  }

  private List<Pending<I, O>> take(int max) {
    List<Pending<I, O>> batch = new ArrayList<>(Math.min(max, Math.max(1, queued.get())));
    while (batch.size() < max) {
      Pending<I, O> p = queue.poll();
      if (p == null) {
        break;
      }
      if (p.take()) {
        queued.decrementAndGet();
        batch.add(p);
      }
    }
    return batch;
  }

  private void fill(List<Pending<I, O>> batch) {
    long deadline = System.nanoTime() + maxDelayNanos;
    while (batch.size() < maxBatch && !closed) {
      batch.addAll(take(maxBatch - batch.size()));
      long left = deadline - System.nanoTime();
      if (left <= 0 || batch.size() >= maxBatch) {
        return;
      }
      LockSupport.parkNanos(this, Math.min(left, FILL_POLL_NANOS));
    }
  }

  private void run(R resource, List<Pending<I, O>> batch) {
    passes.incrementAndGet();
    largest.accumulateAndGet(batch.size(), Math::max);
    List<I> inputs = new ArrayList<>(batch.size());
    for (Pending<I, O> p : batch) {
      inputs.add(p.input);
    }
    List<O> outputs;
    try {
      outputs = function.apply(resource, inputs);
    } catch (RuntimeException e) {
      if (batch.size() == 1) {
        batch.get(0).fail(e);
      } else {
        runOneByOne(resource, batch);
      }
      return;
    } catch (Error e) {
      batch.forEach(p -> p.fail(e));
      throw e;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).complete(outputs.get(i));
    }
  }

  private void runOneByOne(R resource, List<Pending<I, O>> batch) {
    for (Pending<I, O> p : batch) {
      passes.incrementAndGet();
      try {
        p.complete(function.apply(resource, List.of(p.input)).get(0));
      } catch (RuntimeException e) {
        p.fail(e);
      } catch (Error e) {
        batch.forEach(q -> q.fail(e));
        throw e;
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw closedException();
    }
  }

  private static ClassifierClosedException closedException() {
    return new ClassifierClosedException(
        "the classifier is closed: it answers no more predictions");
  }

  /** One queued request: its input, its caller, and once done its output or error. */
  private static final class Pending<I, O> {
    private static final int WAITING = 0;
    private static final int TAKEN = 1;
    private static final int CANCELLED = 2;

    final I input;
    final Thread owner;
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private O output;
    private Throwable error;
    volatile boolean done;

    Pending(I input, Thread owner) {
      this.input = input;
      this.owner = owner;
    }

    boolean waiting() {
      return state.get() == WAITING;
    }

    boolean take() {
      return state.compareAndSet(WAITING, TAKEN);
    }

    boolean cancel() {
      return state.compareAndSet(WAITING, CANCELLED);
    }

    void complete(O value) {
      output = value;
      done = true;
      LockSupport.unpark(owner);
    }

    void fail(Throwable t) {
      error = t;
      done = true;
      LockSupport.unpark(owner);
    }

    O answer() {
      Throwable e = error;
      if (e == null) {
        return output;
      }
      if (e instanceof ClassifierClosedException) {
        throw new ClassifierClosedException(e.getMessage());
      }
      if (e instanceof CifarException) {
        throw new CifarException(e.getMessage(), e);
      }
      if (e instanceof IllegalArgumentException) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      throw new CifarException("Forward pass failed: " + e, e);
    }
  }
}
