package dev.cifar;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.ToNumberPolicy;

/**
 * The one JSON configuration of the project's files ({@code model.json}, checkpoints, evaluation
 * reports): pretty-printed, NaN allowed (a class without images has no accuracy), whole numbers
 * read back as whole numbers.
 */
public final class Json {

  /** The shared, thread-safe Gson instance. */
  public static final Gson GSON =
      new GsonBuilder()
          .setPrettyPrinting()
          .serializeSpecialFloatingPointValues()
          .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
          .disableHtmlEscaping()
          .create();

  private Json() {}
}
