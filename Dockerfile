# One image, two programs: `anylog-operator` (default command) and `anylog-node` (the AnyLog node runtime,
# started by the operator's StatefulSet with its own command). Kubernetes probes are used instead of a
# HEALTHCHECK. Every step is architecture-neutral, so the same file builds linux/amd64 and linux/arm64:
#   docker buildx build --platform linux/amd64,linux/arm64 -t ghcr.io/anylog-operator/anylog-operator:<version> .
# (the release workflow does this; docs/releasing.md). A single-platform `docker build .` works as well.
# BASE_IMAGE: any Node 24 image with node and npm in /usr/local and groupadd/useradd, for every target
# platform (node:24-slim is multi-platform; the local cluster's test/controlplane/scripts/build-images.sh
# passes its own Debian bookworm + Node 24 image).
ARG BASE_IMAGE=node:24-slim

# --- build: compile TypeScript and pack the npm package -------------------------------------------------
# On the builder's own platform: its output (JavaScript and an npm tarball) is the same for every target,
# so a multi-platform build compiles once, without emulation.
FROM --platform=$BUILDPLATFORM ${BASE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: the node@24 devDependency's download step is not needed inside node:24-slim. Optional
# dependencies stay: esbuild (the build's bundling step, ADR 0010) runs from its @esbuild/<platform> package,
# which npm picks for the platform this stage runs on.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/bundle-node.mjs ./scripts/
COPY scripts/lib/node-bundle.mjs ./scripts/lib/
COPY bin ./bin
COPY src ./src
COPY crds ./crds
COPY README.md CHANGELOG.md ./
RUN npm run build && mkdir -p /pkg && npm pack --pack-destination /pkg

# --- runtime: the packed tarball installed globally, no dev dependencies ---------------------------------
# One per target platform. The production dependencies are plain JavaScript (no install scripts, no
# platform-specific packages), so this npm install is the same on amd64 and arm64.
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
