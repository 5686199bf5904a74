// Renders a kustomization to its resources, two ways:
// - kustomizeRender: the real kustomize (`kustomize build`, or `kubectl kustomize`), when one is on
//   PATH; neither is installable from Debian or npm, so a clean machine may have none;
// - fallbackRender: this file's own reading of exactly the kustomization fields deploy/kubernetes
//   uses (resources, namespace, configMapGenerator with files, images, replicas, JSON 6902 patches
//   with a target); any other field is refused, so an overlay cannot grow past what is checked.
// Where both run, the tests require the same resources from both.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import YAML from "yaml";
import jsonpatch from "fast-json-patch";

const SUPPORTED = new Set(["apiVersion", "kind", "namespace", "resources", "configMapGenerator", "images", "replicas", "patches"]);
const CLUSTER_SCOPED = new Set(["Namespace"]);

export function parseAll(text, where) {
  return YAML.parseAllDocuments(text).map((doc) => {
    if (doc.errors.length) throw new Error(`${where}: ${doc.errors[0].message}`);
    return doc.toJS();
  }).filter((r) => r != null);
}

/** The real kustomize's output, or null when no kustomize is on PATH. */
export function kustomizeRender(dir) {
  for (const [cmd, args] of [["kustomize", ["build", dir]], ["kubectl", ["kustomize", dir]]]) {
    const run = spawnSync(cmd, args, { encoding: "utf8" });
    if (run.error?.code === "ENOENT") continue;
    if (run.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${run.stderr || run.error}`);
    return { tool: `${cmd} ${args[0]}`, resources: parseAll(run.stdout, `${cmd} output`) };
  }
  return null;
}

export function fallbackRender(dir) {
  const file = path.join(dir, "kustomization.yaml");
  const k = YAML.parse(fs.readFileSync(file, "utf8"));
  for (const key of Object.keys(k)) {
    if (!SUPPORTED.has(key)) throw new Error(`${file}: field ${key} is not read by the fallback renderer (lib/render.mjs)`);
  }
  let resources = [];
  for (const entry of k.resources ?? []) {
    const target = path.resolve(dir, entry);
    if (fs.statSync(target).isDirectory()) resources.push(...fallbackRender(target));
    else resources.push(...parseAll(fs.readFileSync(target, "utf8"), target));
  }
  for (const gen of k.configMapGenerator ?? []) {
    const extra = Object.keys(gen).filter((key) => key !== "name" && key !== "files");
    if (extra.length) throw new Error(`${file}: configMapGenerator ${gen.name}: ${extra} not read by the fallback renderer`);
    const data = {};
    for (const f of gen.files) data[path.basename(f)] = fs.readFileSync(path.resolve(dir, f), "utf8");
    resources.push({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: gen.name }, data });
  }
  for (const p of k.patches ?? []) {
    const ops = YAML.parse(p.patch ?? "");
    if (!Array.isArray(ops) || !p.target) throw new Error(`${file}: only JSON 6902 patches with a target are read by the fallback renderer`);
    const matches = resources.filter((r) => r.kind === p.target.kind && (p.target.name == null || r.metadata?.name === p.target.name));
    if (!matches.length) throw new Error(`${file}: patch target ${JSON.stringify(p.target)} matches no resource`);
    resources = resources.map((r) => matches.includes(r) ? jsonpatch.applyPatch(structuredClone(r), ops, true, false).newDocument : r);
  }
  if (k.namespace) {
    for (const r of resources) if (!CLUSTER_SCOPED.has(r.kind)) (r.metadata ??= {}).namespace = k.namespace;
  }
  for (const rep of k.replicas ?? []) {
    const hit = resources.filter((r) => ["Deployment", "StatefulSet"].includes(r.kind) && r.metadata?.name === rep.name);
    if (!hit.length) throw new Error(`${file}: replicas: no workload named ${rep.name}`);
    for (const r of hit) r.spec.replicas = rep.count;
  }
  for (const img of k.images ?? []) {
    for (const r of resources) {
      for (const c of [...(r.spec?.template?.spec?.containers ?? []), ...(r.spec?.template?.spec?.initContainers ?? [])]) {
        const [name, tag] = splitImage(c.image);
        if (name === img.name) c.image = `${img.newName ?? name}${img.newTag ? `:${img.newTag}` : tag ? `:${tag}` : ""}`;
      }
    }
  }
  return resources;
}

function splitImage(image) {
  const colon = image.lastIndexOf(":");
  return colon > image.lastIndexOf("/") ? [image.slice(0, colon), image.slice(colon + 1)] : [image, null];
}

/** Kustomize's hash suffix on generated ConfigMaps (and the references to them) taken off, for comparing renderings. */
export function withoutHashSuffixes(resources, generated) {
  const text = JSON.stringify(resources, null, 0);
  let out = text;
  for (const name of generated) out = out.replace(new RegExp(`"${name}-[a-z0-9]{10}"`, "g"), `"${name}"`);
  return JSON.parse(out);
}

export const key = (r) => `${r.kind}/${r.metadata?.namespace ?? ""}/${r.metadata?.name}`;
