# Wegweiser: the bot and its web chat in one image. Its data folder is /data (a volume): without a database
# URL the SQLite database lives there, and `wegweiser db backup` writes there. docker-compose.yml runs it
# beside PostgreSQL instead. Graphviz is not in the image: `flows graph` writes .md or .dot here (draw .svg
# on a staff machine with Graphviz).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --system --create-home --uid 10001 --user-group wegweiser \
    && mkdir /data \
    && chown wegweiser:wegweiser /data

WORKDIR /app

# The package first, so editing flows or content does not reinstall the dependencies.
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install . && rm -rf build

COPY flows ./flows
COPY content ./content
COPY locale ./locale
COPY nlu ./nlu

# The installed package lives in site-packages, so the data folders are named explicitly.
ENV WEGWEISER_HOST=0.0.0.0 \
    WEGWEISER_PORT=8080 \
    WEGWEISER_DATA_DIR=/data \
    WEGWEISER_FLOWS_DIR=/app/flows \
    WEGWEISER_CONTENT_DIR=/app/content \
    WEGWEISER_LOCALE_DIR=/app/locale \
    WEGWEISER_NLU_DIR=/app/nlu

VOLUME ["/data"]
USER wegweiser
EXPOSE 8080

# python:3.11-slim has no curl; the standard library is enough (urlopen fails on any non-2xx answer).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; r.urlopen('http://127.0.0.1:%s/health' % os.environ.get('WEGWEISER_PORT', '8080'), timeout=4)"]

CMD ["wegweiser", "run"]
