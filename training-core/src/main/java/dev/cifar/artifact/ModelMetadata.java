package dev.cifar.artifact;

import dev.cifar.data.LabeledImages;
import dev.cifar.evaluation.Evaluation;
import dev.cifar.network.Normalization;
import dev.cifar.network.TestTimeAugmentation;
import dev.cifar.training.EpochMetrics;
import java.util.List;
import java.util.Map;

/**
 * The content of an artifact's {@code model.json}: what the parameters are, how they were
 * trained and how well they do.
 *
 * @param formatVersion version of the artifact layout
 * @param network network name
 * @param networkVersion version of the network definition
 * @param classes class names, indexed by the network's outputs
 * @param inputShape {@code [3, 32, 32]}
 * @param normalization input normalisation
 * @param training the training configuration
 * @param history per-epoch metrics
 * @param dev dev-split evaluation, or {@code null}
 * @param test test-set evaluation, or {@code null}
 * @param device the device trained on
 * @param trainingSeconds wall time of the training run
 * @param djlVersion DJL version that trained it
 * @param pytorchVersion PyTorch version that trained it
 * @param parametersSha256 SHA-256 of the parameters entry
 * @param createdAt ISO-8601 instant of writing
 * @param fingerprint the inputs' fingerprint (see {@code Fingerprint}), or {@code null}
 */
public record ModelMetadata(int formatVersion, String network, int networkVersion, List<String> classes,
        int[] inputShape, Normalization normalization, Map<String, Object> training, List<EpochMetrics> history,
        Evaluation dev, Evaluation test, String device, double trainingSeconds, String djlVersion,
        String pytorchVersion, String parametersSha256, String createdAt, String fingerprint) {

    /** @return the test-time augmentation the network was evaluated with, and is served with */
    public TestTimeAugmentation testTimeAugmentation() {
        Object tta = training == null ? null : training.get("tta");
        return tta == null ? TestTimeAugmentation.NONE : TestTimeAugmentation.parse(tta.toString());
    }

    /** @return the side of the images the network itself takes (a TorchScript module's may differ from 32) */
    public int networkInputSize() {
        Object size = training == null ? null : training.get("inputSize");
        return size instanceof Number n ? n.intValue() : LabeledImages.SIDE;
    }
}
