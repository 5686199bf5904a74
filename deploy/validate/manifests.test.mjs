// deploy/kubernetes: every resource of the base and of the example overlay validates against the
// Kubernetes API and operator schemas (an unknown kind fails), and the values that must agree with
// config/troupe.yaml do.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { at } from "./lib/paths.mjs";
import { problemOf } from "./lib/models.mjs";
import { fallbackRender, kustomizeRender, withoutHashSuffixes, key } from "./lib/render.mjs";
import { troupeConfig, durationMillis } from "./lib/troupe-config.mjs";

const config = troupeConfig();
const dirs = { base: at("deploy/kubernetes/base"), overlay: at("deploy/kubernetes/overlays/example") };
const real = Object.fromEntries(Object.entries(dirs).map(([n, d]) => [n, kustomizeRender(d)]));
const rendered = Object.fromEntries(Object.entries(dirs).map(([n, d]) => [n, real[n]?.resources ?? fallbackRender(d)]));
const one = (rs, kind, name) => {
  const hits = rs.filter((r) => r.kind === kind && (name == null || r.metadata.name === name));
  assert.equal(hits.length, 1, `one ${kind} ${name ?? ""}`);
  return hits[0];
};

test("the base's troupe.yaml is config/troupe.yaml (cp config/troupe.yaml deploy/kubernetes/base/ after a change)", () => {
  assert.equal(fs.readFileSync(at("deploy/kubernetes/base/troupe.yaml"), "utf8"), fs.readFileSync(at("config/troupe.yaml"), "utf8"));
});

for (const [name, dir] of Object.entries(dirs)) {
  test(`${name}: the fallback renderer gives what kustomize gives`, { skip: real[name] ? false : "no kustomize or kubectl on PATH" }, () => {
    const norm = (rs) => Object.fromEntries(withoutHashSuffixes(rs, ["troupe-config"]).map((r) => [key(r), r]));
    assert.deepEqual(norm(fallbackRender(dir)), norm(real[name].resources));
  });

  test(`${name}: every resource validates against its API schema`, async () => {
    const resources = rendered[name];
    assert.ok(resources.length >= 15, `rendered ${resources.length} resources`);
    const problems = (await Promise.all(resources.map(problemOf))).filter(Boolean);
    assert.deepEqual(problems, []);
  });

  test(`${name}: the resources agree with config/troupe.yaml`, () => {
    const rs = rendered[name];
    const deployment = one(rs, "Deployment", "troupe-worker");
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    const env = Object.fromEntries(container.env.map((e) => [e.name, e]));

    const preStop = container.lifecycle.preStop.sleep.seconds;
    assert.ok(pod.terminationGracePeriodSeconds >= durationMillis(config.worker["shutdown-grace"]) / 1000 + 10 + preStop,
      "terminationGracePeriodSeconds >= shutdown-grace + 10 s + preStop");
    assert.equal(container.ports.find((p) => p.name === "ops").containerPort, config.worker.ops.port);
    assert.equal(env.TROUPE_WORKER_OPS_HOST.value, "0.0.0.0");
    assert.equal(env[config.givon["api-key-env"]].valueFrom.secretKeyRef.key, "api-key", "the key comes from a Secret");
    assert.equal(container.livenessProbe.httpGet.path, "/health/live");
    assert.equal(container.readinessProbe.httpGet.path, "/health/ready");
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.equal(container.securityContext.allowPrivilegeEscalation, false);
    const configMap = one(rs, "ConfigMap");
    assert.equal(pod.volumes.find((v) => v.name === "config").configMap.name, configMap.metadata.name);
    assert.ok(configMap.data["troupe.yaml"].includes("group-id: troupe-workers"));
    assert.equal(env.TROUPE_CONFIG.value, `${container.volumeMounts.find((m) => m.name === "config").mountPath}/troupe.yaml`);

    const scaled = one(rs, "ScaledObject", "troupe-worker");
    const trigger = scaled.spec.triggers.find((t) => t.type === "kafka").metadata;
    assert.equal(scaled.spec.scaleTargetRef.name, deployment.metadata.name);
    assert.equal(scaled.spec.maxReplicaCount, config.topics.jobs.partitions, "maxReplicaCount = jobs partitions");
    assert.equal(Number(trigger.lagThreshold), config.worker.concurrency, "lagThreshold = worker.concurrency");
    assert.equal(trigger.consumerGroup, config.worker["group-id"]);
    assert.equal(trigger.topic, config.topics.jobs.name);
    assert.equal(trigger.bootstrapServers, env.TROUPE_KAFKA_BOOTSTRAP_SERVERS.value, "KEDA watches the workers' Kafka");

    const monitor = one(rs, "PodMonitor");
    assert.equal(monitor.spec.podMetricsEndpoints[0].port, "ops");
    assert.deepEqual(monitor.spec.selector.matchLabels, deployment.spec.selector.matchLabels);
    assert.deepEqual(one(rs, "PodDisruptionBudget").spec.selector.matchLabels, deployment.spec.selector.matchLabels);
  });

  test(`${name}: one KafkaTopic per topic of config/troupe.yaml, as troupe topics create makes it`, () => {
    const topics = rendered[name].filter((r) => r.kind === "KafkaTopic");
    const specs = Object.entries(config.topics).filter(([, v]) => typeof v === "object");
    assert.equal(topics.length, specs.length);
    for (const [id, spec] of specs) {
      const t = topics.find((r) => r.spec.topicName === spec.name);
      assert.ok(t, `a KafkaTopic for ${spec.name}`);
      const partitions = spec.partitions === "auto" ? config.topics.jobs.partitions : spec.partitions;
      assert.equal(t.spec.partitions, partitions, `${spec.name} partitions`);
      const compacted = spec.retention === undefined;
      assert.equal(t.spec.config["cleanup.policy"], compacted ? "compact" : "delete", `${spec.name} cleanup.policy`);
      assert.equal(t.spec.config["retention.ms"], compacted ? undefined : durationMillis(spec.retention), `${spec.name} retention.ms`);
      assert.equal(t.spec.config["message.timestamp.type"], id === "budget" ? "LogAppendTime" : undefined, `${spec.name} timestamps`);
      assert.ok(t.metadata.labels["strimzi.io/cluster"], `${spec.name} names its Kafka`);
    }
  });
}

test("an unknown kind and a schema violation are reported", async () => {
  assert.match(await problemOf({ apiVersion: "keda.sh/v1alpha1", kind: "ScaledThing", metadata: { name: "x" } }), /unknown kind ScaledThing/);
  assert.match(await problemOf({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "x" } }), /no schema package/);
  const deployment = structuredClone(one(rendered.base, "Deployment"));
  deployment.spec.template.spec.containers[0].ports[0].containerPort = "9464";
  assert.match(await problemOf(deployment), /containerPort must be integer/);
  const scaled = structuredClone(one(rendered.base, "ScaledObject"));
  delete scaled.spec.scaleTargetRef;
  assert.match(await problemOf(scaled), /scaleTargetRef/);
});
