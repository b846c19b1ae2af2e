# The Dossier service for production use; docker-compose.yml runs it next to a PostgreSQL server.
# Node.js 22 (22.13 or newer, as package.json's engines say).
FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts
COPY ormconfig.ts ./
COPY scripts/register.js scripts/swc-options.js ./scripts/
COPY src ./src
COPY fixtures ./fixtures
COPY schema ./schema
# Compiled into the image (node_modules/.cache), so the service starts without the compiler.
RUN node scripts/register.js src
USER node
EXPOSE 4000
CMD ["node", "-r", "./scripts/register.js", "src/main.ts"]
