package dev.spillway.embedding.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.embedding.api.RequestParser;
import dev.spillway.embedding.batching.BatchMetrics;
import dev.spillway.embedding.batching.BatchingSettings;
import dev.spillway.embedding.batching.DynamicBatcher;
import dev.spillway.embedding.classify.ClassifierHead;
import dev.spillway.embedding.model.HeadSpec;
import dev.spillway.embedding.model.ModelFiles;
import dev.spillway.embedding.model.ModelRegistry;
import dev.spillway.embedding.model.ModelSpec;
import dev.spillway.embedding.onnx.EmbeddingModel;
import dev.spillway.embedding.onnx.SessionSettings;
import dev.spillway.embedding.serving.EmbeddingService;
import dev.spillway.embedding.serving.ServedHead;
import dev.spillway.embedding.serving.ServedModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the function's plain-Java parts from {@link EmbeddingConfig}: the only class that knows
 * both CDI and the domain. Everything is built at start-up (sessions warm before the first request)
 * and a bad configuration or model file stops the start with the key or file at fault.
 */
@Singleton
public class EmbeddingBeans {

  @Produces
  @Singleton
  ModelRegistry registry(EmbeddingConfig config) {
    List<String> problems = new EmbeddingConfigValidator().problems(config);
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "invalid embedding configuration:\n  - " + String.join("\n  - ", problems));
    }
    return ModelRegistry.load(config.modelsDir());
  }

  @Produces
  @Singleton
  EmbeddingService service(ModelRegistry registry, EmbeddingConfig config, MeterRegistry meters) {
    List<ModelSpec> specs = new ArrayList<>();
    for (String id :
        config.models().orElse(registry.models().stream().map(ModelSpec::id).toList())) {
      specs.add(
          registry
              .model(id)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "embedding.models names '"
                              + id
                              + "', which "
                              + registry.root().resolve(ModelRegistry.FILE)
                              + " does not list")));
    }
    if (config.verifyChecksums()) {
      List<String> problems = new ArrayList<>();
      specs.forEach(spec -> problems.addAll(ModelFiles.problems(spec)));
      if (!problems.isEmpty()) {
        throw new IllegalStateException(
            "model files do not match their committed checksums (embedding.verify-checksums):\n  - "
                + String.join("\n  - ", problems));
      }
    }
    SessionSettings session = sessionSettings(config.onnx());
    EmbeddingConfig.Batching b = config.batching();
    BatchingSettings batching =
        new BatchingSettings(
            b.maxBatchTokens(), b.maxBatchSize(), b.maxWait(), b.maxQueuedTokens());
    Map<String, ServedModel> models = new LinkedHashMap<>();
    for (ModelSpec spec : specs) {
      long started = System.nanoTime();
      EmbeddingModel model = EmbeddingModel.load(spec, session, config.device());
      DynamicBatcher batcher =
          new DynamicBatcher(
              spec.id(), model::embed, batching, new BatchMetrics(meters, spec.id()));
      Gauge.builder("embedding.queue.tokens", batcher, DynamicBatcher::queuedTokens)
          .description("Tokens waiting for a model run")
          .tag("model", spec.id())
          .register(meters);
      Gauge.builder("embedding.queue.inputs", batcher, DynamicBatcher::queuedInputs)
          .description("Inputs waiting for a model run")
          .tag("model", spec.id())
          .register(meters);
      models.put(spec.id(), new ServedModel(model, batcher));
      Log.infof(
          "model %s loaded on %s in %d ms (%d dimensions, %d tokens max)",
          spec.id(),
          model.device(),
          (System.nanoTime() - started) / 1_000_000,
          spec.dimensions(),
          spec.maxTokens());
    }
    Map<String, ServedHead> heads = new LinkedHashMap<>();
    for (HeadSpec spec : registry.heads()) {
      ClassifierHead head = ClassifierHead.read(spec.file());
      ServedModel model = models.get(head.embeddingModel());
      if (model == null) {
        Log.warnf(
            "classifier %s reads model %s, which is not served (embedding.models); skipped",
            spec.id(), head.embeddingModel());
        continue;
      }
      if (head.dimensions() != model.model().spec().dimensions()) {
        throw new IllegalStateException(
            "classifier "
                + spec.id()
                + " reads "
                + head.dimensions()
                + " dimensions, its model "
                + head.embeddingModel()
                + " gives "
                + model.model().spec().dimensions());
      }
      heads.put(spec.id(), new ServedHead(spec.id(), head, model));
      Log.infof("classifier %s loaded (labels %s)", spec.id(), head.labels());
    }
    Counter truncated =
        Counter.builder("embedding.inputs.truncated")
            .description("Inputs cut to their model's maximum tokens")
            .register(meters);
    return new EmbeddingService(models, heads, truncated::increment);
  }

  void close(@Disposes EmbeddingService service) {
    service.models().values().forEach(ServedModel::close);
  }

  @Produces
  @Singleton
  RequestParser parser(EmbeddingConfig config, ObjectMapper mapper) {
    return new RequestParser(mapper, config.limits().maxInputs(), config.limits().maxBodyBytes());
  }

  /** Loads the models at start-up rather than on the first request. */
  void warm(@Observes StartupEvent event, EmbeddingService service) {
    Log.infof(
        "embedding function ready: models %s, classifiers %s",
        service.models().keySet(), service.heads().keySet());
  }

  static SessionSettings sessionSettings(EmbeddingConfig.Onnx onnx) {
    return new SessionSettings(
        onnx.intraOpThreads(),
        onnx.interOpThreads(),
        onnx.executionMode().toLowerCase(Locale.ROOT).equals("parallel"),
        onnx.spinning(),
        onnx.memoryArena(),
        onnx.memoryPattern(),
        onnx.optimizeAll());
  }
}
