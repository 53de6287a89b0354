// The one DEFAULTS object: every setting's default lives here and nowhere else.
// Each key is read from the environment variable of the same name (see config/config.ts).

export const DEFAULTS = {
  /** Network model file (JSON or YAML). */
  HEAT_NETWORK: 'fixtures/networks/jiayuguan.json',
  /** Folder for the embedded store and on-disk buffers. */
  HEAT_DATA_DIR: './data',
  /** Store: `duckdb` (embedded) or `influx`. */
  HEAT_STORE: 'duckdb',
  /**
   * DuckDB's buffer-pool limit (memory_limit). DuckDB's own default, 80 % of RAM, lets a long-running
   * ingest process grow for hours; at 5,000 stations writes need ≈ 100 MB and the rest is cache.
   * Big queries spill to <data dir>/duckdb.tmp. Too small and writes fail ("Out of Memory Error",
   * retried, then spilled to the disk buffer): 64MB was too small at 5,000 stations (bench/README.md).
   */
  HEAT_DUCKDB_MEMORY_LIMIT: '128MB',
  /**
   * What DuckDB may keep between reads. Blocks it wrote stay cached until the memory limit, so a
   * long-running ingest process grew by ≈ 45 MB in 10 minutes at 5,000 stations (bench/README.md);
   * every 20 s, when no read runs, the store drops cached blocks beyond this, and the whole memory
   * limit stays open to queries. 48MB leaves room for the rows not yet checkpointed (≈ 10–30 MB at
   * that load). Equal to HEAT_DUCKDB_MEMORY_LIMIT: never dropped.
   */
  HEAT_DUCKDB_CACHE_LIMIT: '48MB',
  /**
   * How far V8 lets old space grow past what survived its last full collection, % (app/heap-tuning.ts),
   * while the event loop is busy (start-up, a burst, a backlog). 0: V8's own heuristics (1.5–4×):
   * ≈ 10 % less ingest CPU per value at full speed than 25, but the heap grown at start-up stays
   * (446 vs 392 MB after a minute at city load).
   */
  HEAT_HEAP_GROWING_PERCENT: 25,
  /**
   * The same while the event loop is calm (under 40 % busy for 5 s in a row: a city's steady load;
   * busy again within a second of a burst). At city load 25 kept ≈ 45 MB less RSS than V8's own and
   * 10 another 15–30 MB. Equal to HEAT_HEAP_GROWING_PERCENT: one figure, nothing adapts.
   */
  HEAT_HEAP_GROWING_PERCENT_CALM: 10,
  /** External MQTT broker URL; empty = start the embedded aedes broker. */
  HEAT_MQTT_URL: '',
  /** Port of the embedded broker. */
  HEAT_MQTT_PORT: 1883,
  HEAT_MQTT_USERNAME: '',
  HEAT_MQTT_PASSWORD: '',
  /** MQTT client id of the ingester; the persistent session is keyed by it. */
  HEAT_MQTT_CLIENT_ID: 'heat-ingest-1',
  /**
   * Cap on MQTT messages taken in but not yet stored (Telegraf's max_undelivered_messages). Store
   * writes form from what waits: at 1000 batches were ~500 metrics and end-to-end ingest ran at
   * half the speed of 10 000 (bench/README.md).
   */
  HEAT_MAX_INFLIGHT: 10_000,
  /** Largest payload accepted, bytes. */
  HEAT_MAX_PAYLOAD_BYTES: 262_144,
  /** Readings further than this in the future of now are rejected, ms. */
  HEAT_TS_MAX_FUTURE_MS: 10 * 60_000,
  /** Readings older than this are rejected, ms (a season and a bit: backfill is allowed). */
  HEAT_TS_MAX_PAST_MS: 400 * 86_400_000,
  /**
   * Write buffer: capacity in metrics, batch size, and flush interval. At city load (1,000 msg/s)
   * a reading waits up to one interval for its write: 500 → 250 ms took the alert p99 from ≈ 1.0 s
   * to 0.57 s for ≈ 0.03 cores more (bench/README.md, 6 Dec).
   */
  HEAT_BUFFER_MAX: 100_000,
  HEAT_BATCH_SIZE: 5_000,
  HEAT_FLUSH_MS: 250,
  HEAT_HTTP_PORT: 8080,
  HEAT_HTTP_HOST: '0.0.0.0',
  /** Run the simulated city inside `npm start`. */
  HEAT_SIM: true,
  /** Simulated seconds per real second in live mode. */
  HEAT_SIM_SPEED: 60,
  HEAT_SIM_SEED: 1,
  /** Simulated start time (ISO-8601); empty = now minus a day, so charts have history at once. */
  HEAT_SIM_START: '',
  /** Scenario file of injected faults; empty = the default demo scenario. */
  HEAT_SIM_SCENARIO: '',
  /** On-disk buffer for readings while the store is unavailable (ingest/disk-buffer.ts); 0 = off. */
  HEAT_DISK_BUFFER_MAX_BYTES: 1_073_741_824,
  /** Size at which a disk-buffer segment file is sealed and a new one begun. */
  HEAT_DISK_BUFFER_SEGMENT_BYTES: 8_388_608,
  /** When the disk buffer is full: `block` (keep messages unacknowledged at the broker) or `drop-oldest`. */
  HEAT_DISK_BUFFER_FULL: 'block',
  /** Password of the seeded `admin` user at first start; empty = generated, printed once, stored hashed. */
  HEAT_ADMIN_PASSWORD: '',
  /** Lifetime of a login session, ms. */
  HEAT_SESSION_TTL_MS: 12 * 3_600_000,
  /** Mark the session cookie Secure (set true behind HTTPS). */
  HEAT_COOKIE_SECURE: false,
  /** Bearer token that may read /metrics (Prometheus); empty = only logged-in operators and admins. */
  HEAT_METRICS_TOKEN: '',
  /** Secret from which station gateways' MQTT passwords are derived; set = the embedded broker requires credentials. */
  HEAT_MQTT_GATEWAY_SECRET: '',
  /** Correlation (issue 5): an alert active from this long before a complaint … */
  HEAT_CORRELATION_BEFORE_MS: 24 * 3_600_000,
  /** … to this long after it explains the complaint. */
  HEAT_CORRELATION_AFTER_MS: 2 * 3_600_000,
  /** Ticket incidents: complaints of one station chain within this window … */
  HEAT_TICKET_CLUSTER_WINDOW_MS: 6 * 3_600_000,
  /** … and this many from one compound (one more from several) make an incident. */
  HEAT_TICKET_CLUSTER_MIN: 3,
  /** Complaint surges: window, smallest count, and the Poisson tail probability that warns. */
  HEAT_TICKET_SURGE_WINDOW_MS: 6 * 3_600_000,
  HEAT_TICKET_SURGE_MIN: 3,
  HEAT_TICKET_SURGE_P: 0.0001,
  /** Closed loop 受理—分流—化解—督办—回访: time allowed from receipt to each stage (overdue flags). */
  HEAT_LOOP_DISPATCH_MS: 30 * 60_000,
  HEAT_LOOP_RESOLVE_MS: 24 * 3_600_000,
  HEAT_LOOP_SUPERVISE_MS: 48 * 3_600_000,
  HEAT_LOOP_FOLLOWUP_MS: 72 * 3_600_000,
  /** Proactive visits (未诉先办): due after issue, by the alert's severity. */
  HEAT_VISIT_DUE_CRITICAL_MS: 2 * 3_600_000,
  HEAT_VISIT_DUE_HIGH_MS: 4 * 3_600_000,
  HEAT_VISIT_DUE_LOW_MS: 8 * 3_600_000,
  HEAT_VISIT_DUE_ADVISORY_MS: 24 * 3_600_000,
  /** An under-heating episode ends when its compound's alerts have been quiet this long. */
  HEAT_VISIT_EPISODE_GAP_MS: 12 * 3_600_000,
  /** … or, once its visit's outcome is in, quiet this long (the compound recovered: a new cold spell is a new episode). */
  HEAT_VISIT_RECOVERED_MS: 3 * 3_600_000,
  /** A cold complaint received this long before an episode begins, still open, means no proactive visit. */
  HEAT_VISIT_OPEN_TICKET_MS: 24 * 3_600_000,
  /** Complaints this long after a visit (its outcome, or its issue while it has none) are linked to it. */
  HEAT_VISIT_LINK_MS: 72 * 3_600_000,
  /** Rules folder (YAML/JSON, one rule per file); empty = the built-in heating pack rules/pack/. */
  HEAT_RULES_DIR: '',
  /**
   * Chat-robot webhooks as JSON, by crew: {"<crew id>": ["wecom:https://…", "dingtalk:https://…"],
   * "supervisor": [...] (escalations), "*": [...] (no crew)}; empty = no webhooks.
   */
  HEAT_WEBHOOK_URLS: '',
  /** An alert nobody acknowledged this many minutes (app clock) goes to the supervisor robots. */
  HEAT_NOTIFY_ESCALATE_MIN: 30,
  /** Remind the crew's robots this often while an alert stays unacknowledged, minutes; 0 = never. */
  HEAT_NOTIFY_REMIND_MIN: 60,
  /** Alerts below this severity stay on the dashboard (predicted under-heating always goes out). */
  HEAT_NOTIFY_MIN_SEVERITY: 'low',
  /** Publish every alert change on heat/v1/_alerts/{severity}/{stationId} (QoS 1, not retained). */
  HEAT_ALERT_MQTT: true,
  INFLUX_API: 'v1',
  INFLUX_URL: 'http://127.0.0.1:8086',
  INFLUX_TOKEN: '',
  INFLUX_ORG: '',
  INFLUX_BUCKET: 'heat',
  INFLUX_DB: 'heat',
  INFLUX_USER: '',
  INFLUX_PASSWORD: '',
  LOG_LEVEL: 'info',
} as const;

export type DefaultKey = keyof typeof DEFAULTS;
