# The worker and the API share one image; compose picks the command.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY domain domain
COPY workflows workflows
COPY activities activities
COPY worker worker
COPY api api
COPY platform platform
COPY store store
COPY stack stack
COPY mail mail
COPY web web
# The browser console (/app) is bundled into web/dist; the API serves it from there.
RUN npx tsc -p tsconfig.build.json && npx tsx stack/console-build.ts && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/web/dist web/dist
USER node
EXPOSE 3000
CMD ["node", "dist/api/main.js"]
