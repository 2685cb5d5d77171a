package dev.cifar.training;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.JsonParseException;
import dev.cifar.Json;
import dev.cifar.data.AtomicFiles;
import dev.cifar.evaluation.EpochMetrics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The state of a run after a completed epoch: parameters, optimizer state, history and the key of
 * the run it belongs to. Written atomically after every epoch, so a run killed at any moment can
 * continue from the last complete epoch.
 */
final class Checkpoint {

  /** The file inside the checkpoint directory. */
  static final String FILE = "checkpoint.zip";

  private static final String META = "checkpoint.json";
  private static final String PARAMETERS = "parameters.params";
  private static final String OPTIMIZER = "optimizer.ndlist";
  private static final String BEST = "best.params";

  /** Format 3: the best epoch's weights and the weight average as encoded array lists. */
  private static final int FORMAT = 3;

  private static final String AVERAGE = "average.ndlist";

  /** What {@code checkpoint.json} holds. */
  record Meta(
      int formatVersion,
      String runKey,
      int epoch,
      List<EpochMetrics> history,
      List<String> names,
      Map<String, Integer> steps,
      int slots,
      int bestEpoch,
      double bestLoss) {}

  private Checkpoint() {}

  static Path file(Path dir) {
    return dir.resolve(FILE);
  }

  /**
   * Writes a checkpoint atomically.
   *
   * @param dir the checkpoint directory
   * @param runKey identifies the run's inputs, apart from the epoch count
   * @param history the epochs completed so far
   * @param block the network
   * @param optimizer its optimizer
   * @param best the best epoch's weights so far
   * @param average the weight average, or {@code null} when the run keeps none
   * @throws IOException when writing fails
   */
  static void write(
      Path dir,
      String runKey,
      List<EpochMetrics> history,
      Block block,
      StatefulOptimizer optimizer,
      BestWeights best,
      WeightAverage average)
      throws IOException {
    List<String> names = new ArrayList<>();
    Map<String, Integer> steps = new LinkedHashMap<>();
    NDList state = new NDList();
    for (Pair<String, Parameter> p : block.getParameters()) {
      StatefulOptimizer.State s = optimizer.state(p.getValue().getId());
      if (s != null) {
        names.add(p.getKey());
        steps.put(p.getKey(), s.steps());
        state.addAll(s.arrays());
      }
    }
    ByteArrayOutputStream params = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(params)) {
      block.saveParameters(out);
    }
    byte[] json =
        Json.GSON
            .toJson(
                new Meta(
                    FORMAT,
                    runKey,
                    history.size(),
                    history,
                    names,
                    steps,
                    optimizer.slots(),
                    best.epoch(),
                    best.loss()))
            .getBytes(StandardCharsets.UTF_8);
    byte[] optimizerState = state.encode();
    AtomicFiles.deleteStale(file(dir));
    AtomicFiles.write(
        file(dir),
        out -> {
          ZipOutputStream zip = new ZipOutputStream(out);
          put(zip, META, json);
          put(zip, PARAMETERS, params.toByteArray());
          put(zip, OPTIMIZER, optimizerState);
          if (best.parameters() != null) {
            put(zip, BEST, best.parameters());
          }
          if (average != null) {
            put(zip, AVERAGE, average.arrays().encode());
          }
          zip.finish();
        });
  }

  /**
   * Reads a checkpoint's metadata without loading anything.
   *
   * @param dir the checkpoint directory
   * @return the metadata, or {@code null} when there is no usable checkpoint
   */
  static Meta peek(Path dir) {
    try {
      Map<String, byte[]> entries = entries(file(dir));
      return entries == null ? null : meta(entries);
    } catch (IOException | JsonParseException e) {
      return null;
    }
  }

  /**
   * Loads the parameters into a fresh block (before the trainer initialises it) and returns what is
   * needed to restore the optimizer afterwards.
   *
   * @param dir the checkpoint directory
   * @param block the network, not yet initialised
   * @param manager owns the loaded arrays
   * @return the metadata and the optimizer state by parameter name
   * @throws IOException when the checkpoint cannot be read
   */
  static Loaded load(Path dir, Block block, NDManager manager) throws IOException {
    Map<String, byte[]> entries = entries(file(dir));
    if (entries == null) {
      throw new IOException("no checkpoint in " + dir);
    }
    Meta meta = meta(entries);
    try {
      block.loadParameters(
          manager, new DataInputStream(new ByteArrayInputStream(entries.get(PARAMETERS))));
    } catch (MalformedModelException e) {
      throw new IOException("checkpoint parameters do not fit the network: " + e.getMessage(), e);
    }
    NDList state = NDList.decode(manager, entries.get(OPTIMIZER));
    Map<String, StatefulOptimizer.State> byName = new HashMap<>();
    for (int i = 0; i < meta.names().size(); i++) {
      String name = meta.names().get(i);
      List<NDArray> arrays =
          new ArrayList<>(state.subList(meta.slots() * i, meta.slots() * (i + 1)));
      byName.put(name, new StatefulOptimizer.State(meta.steps().get(name), arrays));
    }
    BestWeights best = new BestWeights(meta.bestEpoch(), meta.bestLoss(), entries.get(BEST));
    byte[] average = entries.get(AVERAGE);
    return new Loaded(meta, byName, best, average == null ? null : NDList.decode(manager, average));
  }

  /** A loaded checkpoint. */
  record Loaded(
      Meta meta, Map<String, StatefulOptimizer.State> optimizer, BestWeights best, NDList average) {

    /** Restores the optimizer state onto the block's (new) parameter ids. */
    void restore(Block block, StatefulOptimizer target) {
      for (Pair<String, Parameter> p : block.getParameters()) {
        StatefulOptimizer.State s = optimizer.get(p.getKey());
        if (s != null) {
          NDArray weight = p.getValue().getArray();
          s.arrays().forEach(a -> a.attach(weight.getManager()));
          target.restore(p.getValue().getId(), s);
        }
      }
    }
  }

  private static Meta meta(Map<String, byte[]> entries) {
    byte[] json = entries.get(META);
    if (json == null || entries.get(PARAMETERS) == null || entries.get(OPTIMIZER) == null) {
      throw new JsonParseException("incomplete checkpoint");
    }
    Meta meta = Json.GSON.fromJson(new String(json, StandardCharsets.UTF_8), Meta.class);
    if (meta == null || meta.formatVersion() != FORMAT) {
      throw new JsonParseException("unknown checkpoint format");
    }
    return meta;
  }

  private static Map<String, byte[]> entries(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    Map<String, byte[]> entries = new HashMap<>();
    try (InputStream in = Files.newInputStream(file);
        ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        entries.put(e.getName(), zip.readAllBytes());
      }
    }
    return entries;
  }

  private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(bytes);
    zip.closeEntry();
  }
}
