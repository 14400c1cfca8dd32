# The image the tasks of `flowspec argo create` run in: Node.js and the flowspec CLI on the PATH.
#   docker build -t registry.example.com/flowspec:0.1.0 .
#   flowspec argo create flow.ts --image registry.example.com/flowspec:0.1.0 -o flow.yaml
# Flows need not be in the image: each run's code package comes from the datastore. A flow that
# imports npm packages of its own has them bundled into its code package, except external ones
# (native addons and the like), which a derived image installs with NODE_PATH pointing at them:
# see "An image for flows with native packages" in docs/scale-out.md.

# Build the bundles (dist/) from the sources.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm pack --pack-destination /tmp \
  && mv /tmp/flowspec-*.tgz /tmp/flowspec.tgz

# Install the package as a user would: `flowspec` on the PATH, production dependencies only.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true \
    FLOWSPEC_CACHE_DIR=/tmp/flowspec-cache
COPY --from=build /tmp/flowspec.tgz /tmp/flowspec.tgz
RUN npm install --global --omit=dev --no-audit --no-fund /tmp/flowspec.tgz \
  && rm /tmp/flowspec.tgz && npm cache clean --force
# Tasks write only to the datastore and to /tmp (the code package cache, Argo output parameters).
USER node
WORKDIR /home/node
CMD ["flowspec", "--help"]
