# The Dossier service for production use; docker-compose.yml runs it next to a PostgreSQL server.
FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts
COPY ormconfig.ts tsconfig.json ./
COPY src ./src
COPY fixtures ./fixtures
COPY schema ./schema
USER node
EXPOSE 4000
CMD ["node", "-r", "@swc-node/register", "src/main.ts"]
