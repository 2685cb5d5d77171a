package dev.cifar.testing;

import ai.djl.Device;
import dev.cifar.engine.ConvolutionMath;
import dev.cifar.engine.Precision;
import dev.cifar.training.ProgressListener;
import dev.cifar.training.Training;
import dev.cifar.training.TrainingConfig;
import dev.cifar.training.TrainingResult;

/**
 * A process of its own for the precision tests, since bfloat16 convolutions, once on, stay on
 * for the process. {@code apply p1 p2 ...} asks for each precision in turn and prints
 * {@code effective <precision>} and any {@code warning <line>}; {@code train} trains
 * {@code fast} briefly with its recipe's precision and prints {@code device <description>} and
 * {@code loss <last train loss>}.
 */
public final class PrecisionChild {

    private PrecisionChild() {
    }

    /**
     * Runs it.
     *
     * @param args {@code apply} and precisions, or {@code train}
     */
    public static void main(String[] args) {
        if (args[0].equals("train")) {
            TrainingResult result = Training.builder()
                    .setConfig(TrainingConfig.builder().optNetwork("fast").optEpochs(2).optBatchSize(100)
                            .optDevSize(100).build())
                    .setTrainingSet(SyntheticCifar.images(400, 5))
                    .optListener(new ProgressListener() {
                        @Override
                        public void onWarning(String line) {
                            System.out.println("warning " + line);
                        }
                    })
                    .build().run();
            System.out.println("device " + result.device());
            System.out.println("loss " + result.history().get(1).trainLoss());
            return;
        }
        for (int i = 1; i < args.length; i++) {
            Precision effective = ConvolutionMath.apply(Precision.parse(args[i]), Device.cpu(), line -> { },
                    line -> System.out.println("warning " + line));
            System.out.println("effective " + effective.label());
        }
    }
}
