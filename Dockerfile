# One image, two programs: `anylog-operator` (default command) and `anylog-node` (the AnyLog node runtime,
# started by the operator's StatefulSet with its own command). Kubernetes probes are used instead of a
# HEALTHCHECK. Build: docker build -t anylog-operator:0.1.0 .
# BASE_IMAGE: any Node 24 image with node and npm in /usr/local and groupadd/useradd (the local cluster's
# test/controlplane/scripts/build-images.sh passes its own Debian bookworm + Node 24 image).
ARG BASE_IMAGE=node:24-slim

# --- build: compile TypeScript and pack the npm package -------------------------------------------------
FROM ${BASE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: the node@24 devDependency's download step is not needed inside node:24-slim. Optional
# dependencies stay: esbuild (the build's bundling step, ADR 0010) runs from its @esbuild/<platform> package.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/bundle-node.mjs ./scripts/
COPY bin ./bin
COPY src ./src
COPY crds ./crds
COPY README.md CHANGELOG.md ./
RUN npm run build && mkdir -p /pkg && npm pack --pack-destination /pkg

# --- runtime: the packed tarball installed globally, no dev dependencies ---------------------------------
FROM ${BASE_IMAGE}
ENV NODE_ENV=production \
    ANYLOG_PATH=/app
COPY --from=build /pkg/*.tgz /tmp/
RUN npm install --global --omit=dev --no-audit --no-fund /tmp/anylog-operator-*.tgz \
 && rm -f /tmp/anylog-operator-*.tgz \
 && npm cache clean --force \
 && groupadd --gid 10001 anylog \
 && useradd --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin anylog \
 && mkdir -p /app && chown 10001:10001 /app
WORKDIR /app
USER 10001:10001
EXPOSE 8080 8081 32048 32049
CMD ["anylog-operator", "run"]
