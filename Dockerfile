# Build stage: fetch the pinned, checksummed chart assets from the npm
# registry, then build one static binary.
FROM golang:1.26-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN bash scripts/fetch-assets.sh static/echarts
RUN CGO_ENABLED=0 go build -trimpath -o /out/stancetrack ./cmd/stancetrack

# Run stage: the binary alone; the database lives on a volume.
FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home /data stancetrack && mkdir -p /data && chown stancetrack /data
COPY --from=build /out/stancetrack /usr/local/bin/stancetrack
USER stancetrack
WORKDIR /data
ENV STANCETRACK_DB=/data/stancetrack.db
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["stancetrack", "healthcheck", "--addr", "127.0.0.1:8080"]
ENTRYPOINT ["stancetrack"]
CMD ["serve", "--addr", "0.0.0.0:8080", "--sample"]
