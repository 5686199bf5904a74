// Every PromQL expression deploy/ asks Prometheus: the alert rules and the dashboard's panels.
import fs from "node:fs";
import YAML from "yaml";
import { at } from "./paths.mjs";

export function ruleQueries() {
  const rules = YAML.parse(fs.readFileSync(at("deploy/prometheus/rules.yml"), "utf8"));
  return rules.groups.flatMap((g) => g.rules.map((r) => ({ where: `rules.yml ${r.alert ?? r.record}`, expr: r.expr })));
}

export function dashboardQueries() {
  const dash = JSON.parse(fs.readFileSync(at("deploy/grafana/dashboards/troupe.json"), "utf8"));
  const panels = dash.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
  const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `dashboard "${p.title}" ${t.refId}`, expr: t.expr })));
  for (const v of dash.templating.list) if (v.type === "query") exprs.push({ where: `dashboard variable ${v.name}`, expr: v.definition, variable: true });
  return exprs;
}

/** A dashboard expression with Grafana's variables as Prometheus reads them (all workers, all keys). */
export function asPrometheusSees(expr) {
  return expr.replaceAll("$__rate_interval", "1m").replaceAll("$pod", ".*").replaceAll("$tenant", ".*");
}

const FAMILIES = /\b(?:troupe|kafka_consumer|kafka_producer|jvm|process|system)_[a-z0-9_]+\b/g;
const FUNCTIONS = new Set(["label_values"]);

/** The metric names an expression reads. */
export function metricNames(expr) {
  return [...new Set((expr.match(FAMILIES) ?? []).filter((n) => !FUNCTIONS.has(n)))];
}
