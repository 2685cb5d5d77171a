package dev.cifar.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import dev.cifar.Json;
import dev.cifar.data.DataSets;
import dev.cifar.data.LabeledImages;
import dev.cifar.engine.Bfloat16Convolution;
import dev.cifar.engine.ConvolutionLayouts;
import dev.cifar.engine.ConvolutionMath;
import dev.cifar.engine.Engines;
import dev.cifar.engine.MemoryLayout;
import dev.cifar.engine.Precision;
import dev.cifar.network.ImageBatches;
import dev.cifar.network.ImageTensors;
import dev.cifar.network.Network;
import dev.cifar.network.Networks;
import dev.cifar.network.PrecisionConv2d;
import dev.cifar.recipe.Optimizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Traces the first steps of a network's recipe for {@code bench/crosscheck.py}, which replays them
 * in PyTorch: writes the initial weights, the loss, rate and seconds of each step, the weights
 * after chosen steps, and one augmented batch, as raw little-endian float32 files with a {@code
 * trace.json} manifest. Steps take fixed, unaugmented batches (images {@code s * batch} onwards),
 * and use the same optimizer, loss, rate scales, schedule and lookahead as a run.
 *
 * <p>Arguments: data directory, output directory, network, steps, batch size, then the steps after
 * which to write the weights.
 */
public final class StepTrace {

  private StepTrace() {}

  /**
   * Runs the trace.
   *
   * @param args data, output, network, steps, batch, steps to dump...
   * @throws IOException when the output cannot be written
   */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[1]);
    Files.createDirectories(out);
    LabeledImages train = DataSets.read(Path.of(args[0]), System.err::println).train();
    TrainingConfig config = TrainingConfig.builder().optNetwork(args[2]).optEpochs(1).build();
    int steps = Integer.parseInt(args[3]);
    int batch = Integer.parseInt(args[4]);
    Set<Integer> dumps = new java.util.HashSet<>();
    for (int i = 5; i < args.length; i++) {
      dumps.add(Integer.parseInt(args[i]));
    }
    Network network = Networks.named(config.network());
    LearningRateSchedule schedule =
        new LearningRateSchedule(
            config.optimizer().learningRate(),
            config.schedule().shape(),
            Math.round(0.23f * steps),
            steps,
            config.schedule().warmupFrom(),
            config.schedule().decayTo());
    Optimizer.Sgd sgd = (Optimizer.Sgd) config.optimizer();
    Map<String, Object> trace = new LinkedHashMap<>();
    List<Double> losses = new ArrayList<>();
    List<Double> rates = new ArrayList<>();
    Device device = Device.cpu();
    Block block = network.build(10);
    List<Double> seconds = new ArrayList<>();
    try (Model model = Model.newInstance("trace", device, Engines.ENGINE);
        StatefulOptimizer optimizer =
            new StatefulOptimizer.NesterovSgd(schedule, sgd.momentum(), sgd.weightDecay(), device);
        Bfloat16Convolution bfloat16 =
            ConvolutionMath.apply(
                        Precision.parse(System.getProperty("cifar.precision", "float32")),
                        device,
                        System.err::println,
                        System.err::println)
                    == Precision.BFLOAT16
                ? Bfloat16Convolution.load()
                : null) {
      PrecisionConv2d.use(block, bfloat16);
      model.setBlock(block);
      try (Trainer trainer =
              model.newTrainer(
                  new DefaultTrainingConfig(new SmoothedCrossEntropy(config.labelSmoothing()))
                      .optDevices(new Device[] {device}));
          NDManager data = trainer.getManager().newSubManager();
          ImageTensors tensors = new ImageTensors(data, network.normalization())) {
        trainer.initialize(new Shape(1, 3, 32, 32));
        MemoryLayout layout =
            ConvolutionLayouts.choose(
                network.layout(), block, Device.cpu(), true, System.err::println);
        for (var p : block.getParameters()) {
          optimizer.scaleRate(p.getValue().getId(), network.learningRateScale(p.getValue()));
        }
        network.initialize(block, train, Training.identity(train.size()));
        network.beforeEpoch(block, 1);
        NDArray pixels = ImageTensors.upload(data, train.pixels(), train.size());
        ImageBatches images = ImageBatches.normalizedOnce(tensors, pixels);
        NDArray labels = data.create(Training.toLongs(train.labels()));
        try (WeightAverage average = WeightAverage.lookahead(block, steps, data)) {
          List<Map<String, Object>> names = new ArrayList<>();
          for (Pair<String, Parameter> p : block.getParameters()) {
            names.add(
                Map.of("name", p.getKey(), "shape", p.getValue().getArray().getShape().getShape()));
          }
          trace.put("parameters", names);
          write(block, out.resolve("weights-0.bin"), false);
          for (int s = 0; s < steps; s++) {
            long t0 = System.nanoTime();
            try (NDManager step = data.newSubManager()) {
              long[] idx = new long[batch];
              for (int i = 0; i < batch; i++) {
                idx[i] = ((long) s * batch + i) % train.size();
              }
              NDArray index = step.create(idx);
              NDArray x = images.inputs(step, index);
              x = layout.apply(x);
              NDArray y = labels.get(step, new NDIndex("{}", index));
              try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
                losses.add((double) loss.getFloat());
                collector.backward(loss);
              }
              if (s == 0) {
                write(block, out.resolve("gradients-1.bin"), true);
              }
              rates.add((double) schedule.at(s + 1));
              optimizer.step(block);
              average.update(s + 1);
            }
            seconds.add((System.nanoTime() - t0) / 1e9);
            if (dumps.contains(s + 1)) {
              write(block, out.resolve("weights-" + (s + 1) + ".bin"), false);
            }
          }
        }
        try (NDManager step = data.newSubManager()) {
          Augmentation augmentation = new Augmentation(config.augment(), config.seed());
          long[] idx = new long[batch];
          for (int i = 0; i < batch; i++) {
            idx[i] = i;
          }
          for (int epoch = 1; epoch <= 2; epoch++) {
            NDArray x =
                augmentation.geometric(
                    images.pixels(step, step.create(idx)), idx, epoch, new Random(epoch), step);
            Files.write(out.resolve("augmented-" + epoch + ".bin"), x.toByteArray());
          }
        }
      }
    }
    trace.put("losses", losses);
    trace.put("rates", rates);
    trace.put("seconds", seconds);
    trace.put("config", config.toString());
    Files.writeString(out.resolve("trace.json"), Json.GSON.toJson(trace));
  }

  private static void write(Block block, Path file, boolean gradients) throws IOException {
    List<float[]> arrays = new ArrayList<>();
    int total = 0;
    for (Pair<String, Parameter> p : block.getParameters()) {
      NDArray array = p.getValue().getArray();
      float[] values =
          !gradients
              ? array.toFloatArray()
              : p.getValue().requiresGradient()
                  ? array.getGradient().toFloatArray()
                  : new float[(int) array.size()];
      arrays.add(values);
      total += values.length;
    }
    ByteBuffer buffer = ByteBuffer.allocate(total * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float[] a : arrays) {
      for (float v : a) {
        buffer.putFloat(v);
      }
    }
    Files.write(file, buffer.array());
  }
}
