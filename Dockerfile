# kubecost-worker image: docker build -t kubecost-worker .
# The jar runs the hourly job by default; pass "backfill --from=... --to=..." to run a backfill.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY db db
COPY src/main src/main
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /app worker
COPY --from=build /src/target/kubecost-worker.jar /app/kubecost-worker.jar
USER 10001
WORKDIR /app
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/kubecost-worker.jar"]
CMD ["hourly"]
