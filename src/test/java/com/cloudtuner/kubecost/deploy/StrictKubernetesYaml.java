package com.cloudtuner.kubecost.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads Kubernetes manifests into fabric8's typed model and fails on any field the model does not
 * have, the way a misspelled field ({@code readOnlyRootFileSystem}) should fail before it reaches a
 * cluster. fabric8 classes keep unknown fields in an {@code @JsonAnySetter} map, so a plain
 * FAIL_ON_UNKNOWN_PROPERTIES would never fire: the introspector below ignores those any-setters.
 */
final class StrictKubernetesYaml {

    /** The kinds k8s/ may contain, and the model class each one is read into. */
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "Namespace", Namespace.class,
            "ConfigMap", ConfigMap.class,
            "Secret", Secret.class,
            "ServiceAccount", ServiceAccount.class,
            "CronJob", CronJob.class,
            "Job", Job.class);

    private static final ObjectMapper MAPPER = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(MapperConfig<?> config, Annotated a) {
                    return Boolean.FALSE;
                }
            })
            .build();

    private StrictKubernetesYaml() {
    }

    /** Every YAML document of the text, as a tree (a file of k8s/ holds one; kustomize's output several). */
    static List<JsonNode> documents(String yaml) {
        return MAPPER.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll().stream()
                .filter(n -> n != null && !n.isNull() && !n.isMissingNode()).toList();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One Kubernetes object, typed by its kind; fails on an unknown kind or field. */
    static HasMetadata object(JsonNode document) {
        String kind = document.path("kind").asString("");
        Class<? extends HasMetadata> type = KINDS.get(kind);
        if (type == null) {
            throw new AssertionError("unexpected kind '" + kind + "' (known: " + KINDS.keySet() + ")");
        }
        return MAPPER.treeToValue(document, type);
    }

    /** A document read into a given type, strictly (for the Kustomization, which fabric8 does not model). */
    static <T> T as(JsonNode document, Class<T> type) {
        return MAPPER.treeToValue(document, type);
    }
}
