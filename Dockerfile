# faqbot: build with `docker build -t faqbot .`, run with
#   docker run -e DISCORD_TOKEN=... -v "$PWD/faq:/app/faq" -v "$PWD/config:/app/config" faqbot
# /app/faq (the FAQ files) and /app/config (faqbot.toml) are meant to be mounted, so
# admins edit FAQs without rebuilding; the bot reloads them when they change.

FROM rust:1.95-slim-bookworm AS build
# make: the binary's allocator, jemalloc, is built from C with it (the slim image has
# gcc only). Versions follow the base image's security updates.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends make \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, against stub sources: this layer is rebuilt only when
# Cargo.toml or Cargo.lock change, not on every source edit.
COPY Cargo.toml Cargo.lock ./
RUN mkdir -p src benches \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs \
    && echo 'fn main() {}' > benches/matcher.rs \
    && echo 'fn main() {}' > benches/discord_load.rs \
    && echo 'fn main() {}' > benches/reload_load.rs \
    && cargo build --release --locked \
    && rm -rf src
COPY migrations migrations
# The English lexicon is embedded in the binary; build.rs compiles its word tables.
COPY data/lexicon data/lexicon
COPY build.rs build.rs
COPY src src
# The stub build left newer artifacts for the crate itself: make cargo rebuild it.
RUN touch src/main.rs src/lib.rs && cargo build --release --locked

FROM debian:bookworm-slim
# ca-certificates: TLS to Discord. Versions follow the base image's security updates.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin faqbot \
    && mkdir -p /app/data && chown faqbot:faqbot /app/data
WORKDIR /app
COPY --from=build /src/target/release/faqbot /usr/local/bin/faqbot
COPY --chown=faqbot:faqbot faq/ /app/faq/
COPY --chown=faqbot:faqbot config/ /app/config/
USER 10001
# DISCORD_TOKEN comes from the environment at run time; never bake it into the image.
ENV RUST_LOG=info \
    FAQBOT_HTTP_LISTEN=0.0.0.0:9090
EXPOSE 9090
# data/: the question log (SQLite) unless database.url points elsewhere.
VOLUME ["/app/faq", "/app/config", "/app/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["faqbot", "health"]
ENTRYPOINT ["faqbot"]
CMD ["run"]
