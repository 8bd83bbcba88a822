# One image for both services: the API (default command) and the worker
# (`node packages/worker/dist/main.js`, as compose.yaml runs it). Services run `node` directly,
# never through a package manager, so SIGTERM reaches them and shutdown is graceful.

# ---- build: install every dependency, compile TypeScript to dist/, bundle the dashboard ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
# pnpm from npm (the project pins no pnpm version; any pnpm >= 10 reads its lockfile).
RUN npm install --global pnpm@10
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc tsconfig.base.json tsconfig.json ./
COPY packages/jobs-core/package.json packages/jobs-core/
COPY packages/analyses/package.json packages/analyses/
COPY packages/render/package.json packages/render/
COPY packages/api/package.json packages/api/
COPY packages/worker/package.json packages/worker/
COPY packages/test-support/package.json packages/test-support/
COPY packages/dashboard/package.json packages/dashboard/
RUN pnpm install --frozen-lockfile
COPY packages/ packages/
RUN pnpm build

# ---- runtime: production dependencies and compiled code only ----
FROM node:20-bookworm-slim AS runtime
# Listen on every interface of the container (outside one the default is 127.0.0.1).
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
# DejaVu is the font the API draws chart text with (the same package Debian hosts have).
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && npm install --global pnpm@10
COPY --from=build /app/package.json /app/pnpm-lock.yaml /app/pnpm-workspace.yaml /app/.npmrc ./
COPY --from=build /app/packages/jobs-core/package.json packages/jobs-core/
COPY --from=build /app/packages/analyses/package.json packages/analyses/
COPY --from=build /app/packages/render/package.json packages/render/
COPY --from=build /app/packages/api/package.json packages/api/
COPY --from=build /app/packages/worker/package.json packages/worker/
COPY --from=build /app/packages/test-support/package.json packages/test-support/
COPY --from=build /app/packages/dashboard/package.json packages/dashboard/
RUN pnpm install --prod --frozen-lockfile && pnpm store prune
COPY --from=build /app/packages/jobs-core/dist packages/jobs-core/dist
COPY --from=build /app/packages/analyses/dist packages/analyses/dist
COPY --from=build /app/packages/render/dist packages/render/dist
# jobs-core reads its Lua scripts from src/commands at run time.
COPY --from=build /app/packages/jobs-core/src/commands packages/jobs-core/src/commands
COPY --from=build /app/packages/api/dist packages/api/dist
COPY --from=build /app/packages/worker/dist packages/worker/dist
# The dashboard's static files (HTML, scripts, styles, precompressed), served by the API at GET /.
COPY --from=build /app/packages/dashboard/dist packages/dashboard/dist
# The official node image's unprivileged user.
USER node
EXPOSE 5000
CMD ["node", "packages/api/dist/server.js"]
