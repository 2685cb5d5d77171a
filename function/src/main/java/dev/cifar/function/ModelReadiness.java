package dev.cifar.function;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once the model is loaded. */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

  private final ModelService model;

  ModelReadiness(ModelService model) {
    this.model = model;
  }

  @Override
  public HealthCheckResponse call() {
    if (!model.ready()) {
      return HealthCheckResponse.down("model");
    }
    return HealthCheckResponse.named("model")
        .up()
        .withData("network", model.classifier().metadata().serving().network())
        .withData("checksum", model.classifier().checksum())
        .withData("source", model.source())
        .build();
  }
}
