# syntax=docker/dockerfile:1
# kubecost-worker image:  docker build -t kubecost-worker:0.1.0 .
# Container arguments are the worker's command line: none runs "hourly" (CMD), and e.g.
#   docker run ... kubecost-worker:0.1.0 backfill --from=2025-10-01 --to=2025-10-08
# ImageIT checks what can be checked without a Docker engine: this build stage's Maven command
# offline, the layer extraction below, and the ENTRYPOINT running --help.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY db db
COPY src/main src/main
# The cache mount keeps the Maven repository between builds: a source change downloads nothing again.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests

# Split the Spring Boot jar into its layers (BOOT-INF/layers.idx): each holds its part of an
# application jar (app.jar, whose manifest names lib/*.jar) that runs with plain java -jar, which
# class-data sharing needs (it archives classes from jars on the class path, not nested ones).
FROM eclipse-temurin:17-jre-noble AS layers
WORKDIR /layers
COPY --from=build /src/target/kubecost-worker.jar app.jar
RUN java -Djarmode=tools -jar app.jar extract --layers --destination extracted

FROM eclipse-temurin:17-jre-noble
LABEL org.opencontainers.image.title="kubecost-worker" \
      org.opencontainers.image.description="Kubecost exporter cost rates from Thanos to hourly per-namespace cost rows in ClickHouse"
WORKDIR /app
# Least to most often changed, one image layer each: a new build of the application alone
# ships only the last one.
COPY --from=layers /layers/extracted/dependencies/ ./
COPY --from=layers /layers/extracted/spring-boot-loader/ ./
COPY --from=layers /layers/extracted/snapshot-dependencies/ ./
COPY --from=layers /layers/extracted/application/ ./
# A class-data-sharing archive of the classes a run loads, from a training run that starts the
# application context and exits before any command runs (no server is contacted): every run then
# maps them instead of loading and verifying them again (bench/startup.sh measures it). Made with
# the image's own JVM, as the archive requires, and a heap small enough for compressed pointers, as
# every pod's is (a run with other pointer settings than the archive's would ignore it).
RUN java -Xmx512m -XX:ArchiveClassesAtExit=app.jsa -Dspring.context.exit=onRefresh -jar app.jar
# Numeric, so that Kubernetes can verify runAsNonRoot; no passwd entry is needed. The files stay
# root-owned and read-only to it, and it writes nothing but /tmp.
USER 10001:10001
# The heap is a share of the container's memory limit (the JVM reads the cgroup limit); the rest is
# for metaspace, threads and direct buffers. Arguments after the image name follow the ENTRYPOINT.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:SharedArchiveFile=/app/app.jsa", "-jar", "/app/app.jar"]
CMD ["hourly"]
