package dev.cifar.artifact;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonParseException;
import dev.cifar.CifarException;
import dev.cifar.Json;
import dev.cifar.data.AtomicFiles;
import dev.cifar.data.Checksums;
import dev.cifar.data.LabeledImages;
import dev.cifar.engine.Engines;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import dev.cifar.network.Network;
import dev.cifar.network.TorchScriptNetwork;
import dev.cifar.training.Pretrained;
import dev.cifar.network.Networks;
import dev.cifar.training.TrainingResult;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The model artifact: one zip holding the DJL parameters ({@value #PARAMETERS}) and
 * {@value #MODEL_JSON}. Written atomically; read back only after every check passes: known
 * format version, both entries present, the parameters' SHA-256, a known network of the same
 * version, and a forward pass giving one output per class.
 */
public final class ModelArtifact {

    /** Layout version this build writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** The metadata entry. */
    public static final String MODEL_JSON = "model.json";
    /** The parameters entry. */
    public static final String PARAMETERS = "parameters.params";

    private final ModelMetadata metadata;
    private final byte[] parameters;

    private ModelArtifact(ModelMetadata metadata, byte[] parameters) {
        this.metadata = metadata;
        this.parameters = parameters;
    }

    /**
     * Packs a training result.
     *
     * @param result the finished run
     * @return the artifact, not yet written
     */
    public static ModelArtifact of(TrainingResult result) {
        return of(result, null);
    }

    /**
     * Packs a training result with the fingerprint of its inputs.
     *
     * @param result the finished run
     * @param fingerprint see {@link dev.cifar.training.Fingerprint}, or {@code null}
     * @return the artifact, not yet written
     */
    public static ModelArtifact of(TrainingResult result, String fingerprint) {
        Engine engine = Engines.pytorch();
        ModelMetadata metadata = new ModelMetadata(FORMAT_VERSION, result.config().network(), result.networkVersion(),
                result.classes(), new int[] {LabeledImages.CHANNELS, LabeledImages.SIDE, LabeledImages.SIDE},
                result.normalization(), result.config().toMap(), result.history(), result.dev(), result.test(),
                result.device(), result.seconds(), Engine.getDjlVersion(), engine.getVersion(),
                Checksums.hex("SHA-256", result.parameters()), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), fingerprint);
        return new ModelArtifact(metadata, result.parameters().clone());
    }

    /**
     * Returns the metadata.
     *
     * @return the content of {@code model.json}
     */
    public ModelMetadata metadata() {
        return metadata;
    }

    /**
     * Returns the SHA-256 of the parameters.
     *
     * @return lower-case hex
     */
    public String checksum() {
        return metadata.parametersSha256();
    }

    /**
     * Writes the artifact atomically: the target holds the old content or the complete new
     * one, never a partial zip.
     *
     * @param target the zip to create or replace
     * @throws ArtifactException when it cannot be written
     */
    public void write(Path target) {
        try {
            AtomicFiles.deleteStale(target);
            AtomicFiles.write(target, out -> {
                ZipOutputStream zip = new ZipOutputStream(out);
                zip.putNextEntry(new ZipEntry(MODEL_JSON));
                zip.write(Json.GSON.toJson(metadata).getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry(PARAMETERS));
                zip.write(parameters);
                zip.closeEntry();
                zip.finish();
            });
        } catch (IOException e) {
            throw new ArtifactException("Cannot write model artifact " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads and validates an artifact file.
     *
     * @param file the zip
     * @return the artifact
     * @throws ArtifactException naming the file and the problem
     */
    public static ModelArtifact read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new ArtifactException("Model artifact " + file + " does not exist");
        } catch (IOException e) {
            throw new ArtifactException("Cannot read model artifact " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads and validates an artifact from a stream (e.g. a class-path resource).
     *
     * @param in the zip bytes
     * @param name what to call it in messages
     * @return the artifact
     * @throws ArtifactException naming the artifact and the problem
     */
    public static ModelArtifact read(InputStream in, String name) {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        } catch (IOException e) {
            throw new ArtifactException("Model artifact " + name + " is not a valid zip (" + e.getMessage()
                    + "): the file is truncated or corrupt; train again or restore it", e);
        }
        byte[] json = require(entries, MODEL_JSON, name);
        byte[] params = require(entries, PARAMETERS, name);
        ModelMetadata metadata;
        try {
            metadata = Json.GSON.fromJson(new String(json, StandardCharsets.UTF_8), ModelMetadata.class);
        } catch (JsonParseException e) {
            throw new ArtifactException("Model artifact " + name + ": " + MODEL_JSON + " is not valid JSON ("
                    + e.getMessage() + ")");
        }
        if (metadata == null) {
            throw new ArtifactException("Model artifact " + name + ": " + MODEL_JSON + " is empty");
        }
        if (metadata.formatVersion() != FORMAT_VERSION) {
            throw new ArtifactException("Model artifact " + name + " has format version " + metadata.formatVersion()
                    + "; this build reads version " + FORMAT_VERSION + ": retrain it with this version");
        }
        if (metadata.network() == null || metadata.classes() == null || metadata.classes().size() < 2
                || metadata.normalization() == null || metadata.parametersSha256() == null) {
            throw new ArtifactException("Model artifact " + name + ": " + MODEL_JSON
                    + " lacks network, classes, normalization or parametersSha256");
        }
        String actual = Checksums.hex("SHA-256", params);
        if (!actual.equals(metadata.parametersSha256())) {
            throw new ArtifactException("Model artifact " + name + ": checksum mismatch, " + PARAMETERS + " has SHA-256 "
                    + actual + " but " + MODEL_JSON + " records " + metadata.parametersSha256()
                    + ": the artifact was modified or corrupted");
        }
        Network network;
        try {
            network = network(metadata);
        } catch (CifarException e) {
            throw new ArtifactException("Model artifact " + name + " is for an unknown network: " + e.getMessage());
        }
        if (network.version() != metadata.networkVersion()) {
            throw new ArtifactException("Model artifact " + name + " was trained on version " + metadata.networkVersion()
                    + " of network '" + network.name() + "'; this build has version " + network.version()
                    + ": retrain it");
        }
        if (!Arrays.equals(metadata.inputShape(), new int[] {LabeledImages.CHANNELS, LabeledImages.SIDE, LabeledImages.SIDE})) {
            throw new ArtifactException("Model artifact " + name + " declares input shape "
                    + Arrays.toString(metadata.inputShape()) + "; this build serves [3, 32, 32]");
        }
        return new ModelArtifact(metadata, params);
    }

    /**
     * Rebuilds the network and loads the parameters into a new DJL model, checked with one
     * forward pass. The caller closes the model.
     *
     * @param device where the model runs
     * @return the model, ready for inference
     * @throws ArtifactException when the parameters do not fit the network
     */
    public Model newModel(Device device) {
        Engines.pytorch();
        Network network = network(metadata);
        Model model = Model.newInstance("cifar-" + network.name(), device, Engines.ENGINE);
        try {
            if (network instanceof TorchScriptNetwork torchScript) {
                network = torchScript.withModule(new PtSymbolBlock((PtNDManager) model.getNDManager()));
            }
            Block net = network.build(metadata.classes().size());
            net.loadParameters(model.getNDManager(), new DataInputStream(new ByteArrayInputStream(parameters)));
            Block block = metadata.testTimeAugmentation().wrap(net);
            model.setBlock(block);
            try (NDManager probe = model.getNDManager().newSubManager()) {
                NDArray x = probe.zeros(new Shape(2, LabeledImages.CHANNELS, LabeledImages.SIDE, LabeledImages.SIDE));
                Shape out = block.forward(new ParameterStore(probe, false), new NDList(x), false).singletonOrThrow()
                        .getShape();
                if (!out.equals(new Shape(2, metadata.classes().size()))) {
                    throw new ArtifactException("Model artifact's parameters do not fit network '" + metadata.network()
                            + "' with " + metadata.classes().size() + " classes: it gives outputs of shape " + out);
                }
            }
            return model;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            if (e instanceof ArtifactException a) {
                throw a;
            }
            throw new ArtifactException("Model artifact's parameters do not fit network '" + metadata.network() + "' with "
                    + metadata.classes().size() + " classes: " + e.getMessage(), e);
        }
    }

    /**
     * Offers the artifact as the start of another training run.
     *
     * @param source the artifact's file
     * @return its network, classes and parameters
     */
    public Pretrained asPretrained(Path source) {
        return Pretrained.weights(source, checksum(), metadata.network(), metadata.classes(), parameters.clone());
    }

    /**
     * Reads the start of a fine-tuning run: a model artifact ({@code .zip}) or a TorchScript
     * file ({@code .pt}, {@code .pth}, {@code .torchscript}).
     *
     * @param file the file named by {@code cifar.pretrained}
     * @return the start
     * @throws dev.cifar.CifarException when the file is missing, unreadable or of another kind
     */
    public static Pretrained pretrained(Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".zip")) {
            return read(file).asPretrained(file);
        }
        if (name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".torchscript")) {
            return Pretrained.torchScript(file);
        }
        throw new dev.cifar.ConfigurationException("cifar.pretrained=" + file + " is neither a model artifact (.zip)"
                + " nor a TorchScript file (.pt, .pth, .torchscript)");
    }

    private static Network network(ModelMetadata metadata) {
        return Networks.resolve(metadata.network(), metadata.networkInputSize(), metadata.normalization());
    }

    private static byte[] require(Map<String, byte[]> entries, String entry, String name) {
        byte[] bytes = entries.get(entry);
        if (bytes == null) {
            throw new ArtifactException("Model artifact " + name + " has no " + entry + " entry: it is not a model"
                    + " artifact of this project, or it is incomplete");
        }
        return bytes;
    }
}
