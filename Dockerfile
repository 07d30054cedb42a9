# syntax=docker/dockerfile:1
# Build stage: compile TypeScript with the dev dependencies, which never reach the final image.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

# Runtime stage: production dependencies, compiled code, locales and the content library.
FROM node:20-bookworm-slim
# redis-server lets a single container run on its own (no REDIS_URL); in production point REDIS_URL at your Redis.
RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 REDIS_DATA_DIR=/data/redis
# A bounded heap: the service needs well under 128 MB of old space even for a 5,000-group fan-out, and without a bound
# V8 lets the heap grow under load long before collecting; a smaller young generation keeps peaks down as well.
# `npm run bench` reads this line and runs the service with the same flags.
ENV NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=8"
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY locales ./locales
COPY content ./content
RUN mkdir -p /data/redis && chown -R node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["serve"]
