// Prints deploy/queried-metrics.txt: every metric name the alert rules and the dashboard read.
import { ruleQueries, dashboardQueries, metricNames } from "./lib/queries.mjs";

const names = [...new Set([...ruleQueries(), ...dashboardQueries()].flatMap((q) => metricNames(q.expr)))].sort();
console.log("# Metric names read by deploy/prometheus/rules.yml and deploy/grafana/dashboards/troupe.json.");
console.log("# Generated: (cd deploy/validate && node metrics-list.mjs > ../queried-metrics.txt); deploy/check fails when stale.");
console.log("# A histogram is listed by its _bucket (or _sum) series; a scrape of a live worker must contain each name.");
for (const n of names) console.log(n);
