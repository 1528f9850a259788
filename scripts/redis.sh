#!/usr/bin/env bash
# Starts a throw-away Redis on 127.0.0.1 (Debian's redis-server) as the shared cache of the test run
# and of the load test; sets TMG_CACHE_URL. Sourced; stop_redis stops it.
start_redis() {
  bash scripts/ensure-packages.sh redis-server
  REDIS_DIR=$(mktemp -d /tmp/tmgportal-redis.XXXXXX)
  REDIS_PORT=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no --daemonize yes \
    --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" --dir "$REDIS_DIR"
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  export TMG_CACHE_URL="redis://127.0.0.1:$REDIS_PORT/0"
  echo "Redis $(redis-server --version | awk '{print $3}') started on 127.0.0.1:$REDIS_PORT"
}

stop_redis() {
  if [ -n "${REDIS_DIR:-}" ] && [ -f "$REDIS_DIR/redis.pid" ]; then
    local pid
    pid=$(cat "$REDIS_DIR/redis.pid")
    kill "$pid" 2>/dev/null || true
    # Redis writes its log until it has exited: wait, then remove its folder.
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -rf "$REDIS_DIR" || true
  fi
}
