// The operator dashboard: a static page whose every data call carries the pasted bearer token.
// Live updates come from GET /v1/jobs/events read with fetch() (EventSource cannot send headers).
// Two views, chosen by the URL's fragment: the list (#state=…&kind=…&vaultId=…&assetId=…&policyId=…)
// and a job's page (#job=j-…).
"use strict";

const TOKEN_KEY = "cloudconnector.jobstatus.token";
const FINAL = new Set(["succeeded", "failed", "cancelled"]);
const LIST_LIMIT = 100;
// A safety net for changes this page's stream cannot see (a job handled by another task of the service).
const RELOAD_EVERY_MS = 30000;
const FILTERS = [["state", "filter-state"], ["kind", "filter-kind"], ["vaultId", "filter-vault"],
  ["assetId", "filter-asset"], ["policyId", "filter-policy"]];
// State is never told by colour alone: each has a symbol and its name.
const STATE_ICONS = { queued: "◷", provisioning: "⚙", running: "▶", succeeded: "✓", failed: "✗", cancelled: "⊘" };

const $ = (id) => document.getElementById(id);
const jobs = new Map(); // id -> newest job seen
let shownId = null; // the job whose page is open
let listHash = "#"; // where "All jobs" goes back to: the list with its filters
let feed = null; // AbortController of the live stream

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

class ApiError extends Error {
  constructor(status, problem) {
    super(problem && problem.detail ? problem.detail : "HTTP " + status);
    this.status = status;
  }
}

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { ...(options.headers || {}), Authorization: "Bearer " + token(), Accept: "application/json" },
  });
  if (response.status === 401) {
    signOut("The token was refused (expired, or for another connector). Paste a new one.");
    throw new ApiError(401, null);
  }
  const body = response.headers.get("Content-Type")?.includes("json") ? await response.json() : null;
  if (!response.ok) {
    throw new ApiError(response.status, body);
  }
  return body;
}

// ---- signing in and out ------------------------------------------------------------------------

function showLogin(message) {
  $("login").hidden = false;
  $("jobs").hidden = true;
  $("job-page").hidden = true;
  $("forget-token").hidden = true;
  $("login-error").hidden = !message;
  $("login-error").textContent = message || "";
  setLive(false);
  $("token").focus();
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  if (feed) feed.abort();
  showLogin(message);
}

function start() {
  $("login").hidden = true;
  $("forget-token").hidden = false;
  route();
  follow();
}

// ---- routing -----------------------------------------------------------------------------------

function hashParams() {
  return new URLSearchParams(location.hash.slice(1));
}

function route() {
  const params = hashParams();
  const id = params.get("job");
  if (id) {
    openJob(id);
  } else {
    shownId = null;
    listHash = location.hash || "#";
    document.title = "Cloud Connector · Jobs";
    $("job-page").hidden = true;
    $("jobs").hidden = false;
    readFiltersFromHash(params);
    reload();
  }
}

// ---- the list ----------------------------------------------------------------------------------

function filters() {
  const f = {};
  for (const [name, input] of FILTERS) f[name] = $(input).value.trim();
  return f;
}

function matches(job) {
  const f = filters();
  return (!f.state || job.state === f.state) && (!f.kind || job.kind === f.kind)
    && (!f.vaultId || job.vaultId === f.vaultId) && (!f.assetId || job.assetId === f.assetId)
    && (!f.policyId || job.policyId === f.policyId);
}

function readFiltersFromHash(params) {
  for (const [name, input] of FILTERS) $(input).value = params.get(name) || "";
}

function writeFiltersToHash() {
  const f = Object.entries(filters()).filter(([, v]) => v);
  history.replaceState(null, "", "#" + new URLSearchParams(f));
  listHash = location.hash || "#";
}

async function reload() {
  if ($("jobs").hidden) return;
  const query = new URLSearchParams({ limit: LIST_LIMIT });
  for (const [name, value] of Object.entries(filters())) if (value) query.set(name, value);
  try {
    const page = await api("/v1/jobs?" + query);
    $("error").hidden = true;
    const focused = document.activeElement?.dataset?.jobId;
    $("job-rows").replaceChildren();
    page.items.forEach((job) => upsert(job, false));
    const n = page.items.length;
    $("count").textContent = n + (page.nextPageToken ? "+" : "") + (n === 1 && !page.nextPageToken ? " job" : " jobs");
    updateEmpty();
    if (focused) row(focused)?.focus();
  } catch (e) {
    if (e.status !== 401) showError("Cannot list jobs: " + e.message);
  }
}

function showError(message) {
  $("error").hidden = false;
  $("error").textContent = message;
}

function updateEmpty() {
  $("empty").hidden = $("job-rows").children.length > 0;
}

function row(id) {
  return document.querySelector(`tr[data-job-id="${CSS.escape(id)}"]`);
}

// Shows the newest version of a job; an older one (from a list read or a late event) never replaces it.
function upsert(job, fromStream) {
  const known = jobs.get(job.id);
  if (known && known.version > job.version) job = known;
  jobs.set(job.id, job);
  let tr = row(job.id);
  if (!matches(job)) {
    if (tr) tr.remove();
  } else {
    if (!tr) {
      tr = newRow(job.id);
      if (fromStream) $("job-rows").prepend(tr); else $("job-rows").append(tr);
    }
    fillRow(tr, job);
  }
  if (shownId === job.id) renderDetail(job);
  updateEmpty();
}

const COLUMN_CLASSES = ["", "", "", "col-asset", "col-vault", "progress-col", "col-rate", "", "col-created"];

function newRow(id) {
  const tr = document.createElement("tr");
  tr.dataset.jobId = id;
  tr.tabIndex = 0;
  tr.setAttribute("aria-label", "Open job " + id);
  for (const cls of COLUMN_CLASSES) {
    const td = document.createElement("td");
    if (cls) td.className = cls;
    tr.append(td);
  }
  const bar = document.createElement("progress");
  bar.max = 100;
  const label = document.createElement("span");
  label.className = "progress-label";
  const error = document.createElement("span");
  error.className = "row-error";
  error.hidden = true;
  tr.cells[5].append(bar, " ", label, error);
  tr.addEventListener("click", () => showJob(id));
  tr.addEventListener("keydown", (event) => onRowKey(event, tr));
  return tr;
}

function onRowKey(event, tr) {
  if (event.key === "Enter" || event.key === " ") {
    event.preventDefault();
    showJob(tr.dataset.jobId);
  } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    const next = event.key === "ArrowDown" ? tr.nextElementSibling : tr.previousElementSibling;
    if (next) next.focus();
  } else if (event.key === "Home" || event.key === "End") {
    event.preventDefault();
    const rows = $("job-rows").rows;
    if (rows.length) rows[event.key === "Home" ? 0 : rows.length - 1].focus();
  }
}

function fillRow(tr, job) {
  const p = job.progress || {};
  tr.dataset.state = job.state;
  tr.dataset.percent = percentOf(job);
  tr.dataset.unit = unitOf(job);
  tr.cells[0].replaceChildren(shortId(job.id));
  tr.cells[0].title = job.id;
  tr.cells[1].textContent = job.kind;
  tr.cells[2].replaceChildren(stateBadge(job.state));
  tr.cells[3].replaceChildren(...named(job.assetName, job.assetId, shortAsset));
  tr.cells[4].replaceChildren(...named(job.vaultName, job.vaultId, shortUlidId));
  const bar = tr.cells[5].querySelector("progress");
  const value = percentOf(job);
  if (value === "") bar.removeAttribute("value"); else bar.value = Number(value);
  bar.setAttribute("aria-label", value === "" ? "progress unknown" : value + "%");
  // A failed job says why instead of showing a half-empty bar.
  const failed = job.state === "failed" && job.error;
  // No bar for a job that reported nothing (yet): the label says "waiting" or nothing.
  bar.hidden = !!failed || !job.progress && job.state !== "succeeded";
  tr.cells[5].querySelector(".progress-label").textContent = failed ? "" : progressText(job);
  const error = tr.cells[5].querySelector(".row-error");
  error.hidden = !failed;
  if (failed) {
    const code = document.createElement("b");
    code.textContent = job.error.code;
    error.replaceChildren(code, " " + oneLine(job.error.message));
  }
  tr.cells[6].textContent = rateText(job);
  if (p.etaSeconds != null && !FINAL.has(job.state)) {
    const eta = document.createElement("span");
    eta.className = "sub";
    eta.textContent = "ETA " + duration(p.etaSeconds);
    tr.cells[6].append(eta);
  }
  tr.cells[7].textContent = jobDuration(job);
  // Month, day and time; the whole ISO time is in the title.
  tr.cells[8].textContent = time(job.createdAt).slice(5, 19);
  tr.cells[8].title = job.createdAt;
  tr.classList.toggle("selected", shownId === job.id);
}

function shortId(id) {
  const code = document.createElement("code");
  code.textContent = shortUlidId(id);
  return code;
}

// j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4 reads as j-01JD…RZ2J4: its start (the time) and its end (the random part).
function shortUlidId(id) {
  return id.length > 16 ? id.slice(0, id.indexOf("-") + 5) + "…" + id.slice(-5) : id;
}

// A name with its id underneath, or the id alone; nothing when the job is about no such thing.
function named(name, id, shorten) {
  if (!id) return [];
  const parts = [];
  if (name) {
    const span = document.createElement("span");
    span.className = "name";
    span.textContent = name;
    span.title = name;
    parts.push(span);
  }
  const sub = document.createElement("span");
  sub.className = name ? "name sub" : "name";
  sub.textContent = shorten(id);
  sub.title = id;
  parts.push(sub);
  return parts;
}

// aws:ebs:123456789012:us-east-1:vol-0abc reads as vol-0abc (the full id is in the title and on the job's page).
function shortAsset(id) {
  return id.startsWith("aws:") ? id.split(":").pop() : id;
}

function oneLine(text) {
  const line = String(text || "").split(/\r?\n/)[0];
  return line.length > 140 ? line.slice(0, 139) + "…" : line;
}

function percentOf(job) {
  if (job.state === "succeeded") return "100";
  const p = job.progress;
  return p && p.percent != null ? String(p.percent) : "";
}

function unitOf(job) {
  return (job.progress && job.progress.unit) || "bytes";
}

// "25% · 2.0 GiB of 8.0 GiB", "12.3% · 1,234 of 10,000 assets", "5 of 14 checks", plus a scan's files.
function progressText(job) {
  const p = job.progress;
  if (!p) return FINAL.has(job.state) ? "" : "waiting";
  const pct = percentOf(job);
  const unit = unitOf(job);
  let text = unit === "bytes" && pct !== "" ? pct + "% · " : "";
  text += amount(p.bytesDone, p.bytesTotal, unit);
  if (p.secondary) text += " · " + amount(p.secondary.done, p.secondary.total, p.secondary.unit);
  return text;
}

function amount(done, total, unit) {
  if (unit === "bytes") return bytes(done) + (total != null ? " of " + bytes(total) : "");
  return count(done) + (total != null ? " of " + count(total) : "") + " " + unit;
}

function rateText(job) {
  const p = job.progress;
  if (!p || p.bytesPerSecond == null) return "";
  const unit = unitOf(job);
  return unit === "bytes" ? bytes(p.bytesPerSecond) + "/s" : count(p.bytesPerSecond) + " " + unit + "/s";
}

function jobDuration(job) {
  if (job.durationSeconds != null) return duration(job.durationSeconds);
  if (FINAL.has(job.state) || !job.createdAt) return "";
  return duration(Math.max(0, Math.floor((Date.now() - Date.parse(job.createdAt)) / 1000)));
}

function stateBadge(state) {
  const badge = document.createElement("span");
  badge.className = "state state-" + state;
  const icon = document.createElement("span");
  icon.setAttribute("aria-hidden", "true");
  icon.textContent = (STATE_ICONS[state] || "•") + " ";
  badge.append(icon, state);
  return badge;
}

// ---- a job's page ------------------------------------------------------------------------------

function showJob(id) {
  location.hash = "#" + new URLSearchParams({ job: id });
}

async function openJob(id) {
  shownId = id;
  $("back").href = listHash;
  $("jobs").hidden = true;
  $("job-page").hidden = false;
  $("cancel-message").textContent = "";
  $("resource").hidden = true;
  const known = jobs.get(id);
  if (known) renderDetail(known); else clearDetail(id);
  try {
    upsert(await api("/v1/jobs/" + encodeURIComponent(id)), false);
  } catch (e) {
    if (e.status === 404) $("detail-state").textContent = "No such job (or it expired).";
    else if (e.status !== 401) $("detail-state").textContent = "Cannot read " + id + ": " + e.message;
  }
  $("detail-title").focus();
}

function clearDetail(id) {
  $("detail").dataset.jobId = id;
  $("detail").dataset.state = "";
  $("detail-title").textContent = id;
  $("detail-state").textContent = "Loading…";
  for (const list of ["detail-fields", "detail-timeline", "detail-result", "detail-log"]) $(list).replaceChildren();
  $("detail-error").hidden = true;
  $("result-section").hidden = true;
  $("cancel-job").hidden = true;
}

function renderDetail(job) {
  $("detail").dataset.jobId = job.id;
  $("detail").dataset.state = job.state;
  $("detail-title").tabIndex = -1;
  $("detail-title").textContent = job.kind + " " + job.id;
  document.title = job.kind + " " + job.state + " · Cloud Connector";
  const state = $("detail-state");
  state.replaceChildren(stateBadge(job.state));
  const summary = [progressText(job), rateText(job),
    job.progress && job.progress.etaSeconds != null && !FINAL.has(job.state) ? "ETA " + duration(job.progress.etaSeconds) : "",
    !jobDuration(job) ? "" : FINAL.has(job.state) ? "took " + jobDuration(job) : jobDuration(job) + " so far"]
    .filter((t) => t);
  if (summary.length) state.append(" " + summary.join(" · "));

  $("detail-error").hidden = !job.error;
  if (job.error) {
    const code = document.createElement("b");
    code.textContent = job.error.code;
    $("detail-error").replaceChildren(code, ": " + job.error.message);
  }

  const fields = [
    ["Asset", job.assetId ? [job.assetName ? job.assetName + " " : "", apiLink("/v1/assets/" + encodeURIComponent(job.assetId), job.assetId)] : null],
    ["Vault", job.vaultId ? [job.vaultName ? job.vaultName + " " : "", apiLink("/v1/vaults/" + encodeURIComponent(job.vaultId), job.vaultId)] : null],
    ["Recovery point", job.recoveryPointId ? [apiLink("/v1/recovery-points/" + encodeURIComponent(job.recoveryPointId), job.recoveryPointId)] : null],
    ["Policy", job.policyId ? [filterLink({ policyId: job.policyId }, job.policyId), job.runId ? " (run " + job.runId + ")" : ""] : null],
    ["Created", time(job.createdAt)], ["Started", time(job.startedAt)], ["Finished", time(job.finishedAt)],
    ["Cancel requested", time(job.cancelRequestedAt)],
  ];
  if (job.assetId) fields.push(["Other jobs", [filterLink({ assetId: job.assetId }, "of this asset")]]);
  fillList($("detail-fields"), fields);

  const timeline = $("detail-timeline");
  timeline.replaceChildren();
  for (const phase of job.phases || []) {
    const li = document.createElement("li");
    li.dataset.phase = phase.phase;
    const name = document.createElement("span");
    name.className = "phase";
    name.textContent = phase.phase;
    const current = phase.endedAt == null && !FINAL.has(job.state);
    li.classList.toggle("current", current);
    const took = phase.seconds != null ? duration(phase.seconds)
      : current ? duration(Math.max(0, Math.floor((Date.now() - Date.parse(phase.startedAt)) / 1000))) + " so far" : "";
    li.append(name, took, document.createElement("br"));
    const from = document.createElement("span");
    from.className = "sub";
    from.textContent = "from " + time(phase.startedAt);
    li.append(from);
    timeline.append(li);
  }
  if (FINAL.has(job.state) && job.finishedAt) {
    const li = document.createElement("li");
    li.dataset.phase = job.state;
    const name = document.createElement("span");
    name.className = "phase";
    name.append(stateBadge(job.state));
    const at = document.createElement("span");
    at.className = "sub";
    at.textContent = "at " + time(job.finishedAt);
    li.append(name, at);
    timeline.append(li);
  }

  renderResult(job);

  const log = $("detail-log");
  log.replaceChildren();
  for (const entry of job.eventLog || []) {
    const tr = log.insertRow();
    tr.insertCell().textContent = time(entry.time);
    tr.insertCell().textContent = entry.type;
    tr.insertCell().textContent = entry.type === "phase"
      ? entry.phase + " " + (entry.millis / 1000).toFixed(2) + " s"
      : entry.detail || "";
  }
  $("cancel-job").hidden = FINAL.has(job.state) || !!job.cancelRequestedAt;
}

function renderResult(job) {
  const r = job.result || {};
  const items = [];
  if (r.recoveryPointId) items.push(["Recovery point ", apiLink("/v1/recovery-points/" + encodeURIComponent(r.recoveryPointId), r.recoveryPointId)]);
  if (r.reportId) {
    const report = ["Report ", apiLink("/v1/integrity/reports/" + encodeURIComponent(r.reportId), r.reportId)];
    if (r.verdict) {
      const verdict = document.createElement("strong");
      verdict.className = "verdict verdict-" + r.verdict;
      verdict.textContent = r.verdict;
      report.push(" · verdict ", verdict);
    }
    items.push(report);
  }
  if (r.snapshotId) items.push(["Snapshot ", code(r.snapshotId)]);
  const where = job.assetId && job.assetId.startsWith("aws:") ? job.assetId.split(":").slice(2, 4).join(":") : null;
  if (r.volumeId) {
    items.push(["Volume ", where ? apiLink("/v1/assets/" + encodeURIComponent("aws:ebs:" + where + ":" + r.volumeId), r.volumeId) : code(r.volumeId)]);
  }
  if (r.instanceId) {
    items.push(["Instance ", where ? apiLink("/v1/assets/" + encodeURIComponent("aws:ec2:" + where + ":" + r.instanceId), r.instanceId) : code(r.instanceId)]);
  }
  const list = $("detail-result");
  list.replaceChildren();
  for (const parts of items) {
    const li = document.createElement("li");
    li.append(...parts);
    list.append(li);
  }
  $("result-section").hidden = items.length === 0;
}

function fillList(list, fields) {
  list.replaceChildren();
  for (const [name, value] of fields) {
    if (value == null || value === "") continue;
    const dt = document.createElement("dt");
    dt.textContent = name;
    const dd = document.createElement("dd");
    if (Array.isArray(value)) dd.append(...value); else dd.textContent = value;
    list.append(dt, dd);
  }
}

function code(text) {
  const c = document.createElement("code");
  c.textContent = text;
  return c;
}

// A link to the connector's API for a thing; followed here, it is read with the token and shown on the page.
function apiLink(path, text) {
  const a = document.createElement("a");
  a.href = path;
  a.className = "api-link";
  a.textContent = text;
  a.addEventListener("click", (event) => {
    event.preventDefault();
    showResource(path, text);
  });
  return a;
}

function filterLink(filter, text) {
  const a = document.createElement("a");
  a.href = "#" + new URLSearchParams(filter);
  a.textContent = text;
  return a;
}

async function showResource(path, title) {
  $("resource").hidden = false;
  $("resource-title").textContent = title;
  $("resource-body").textContent = "Loading " + path + " …";
  try {
    $("resource-body").textContent = JSON.stringify(await api(path), null, 2);
  } catch (e) {
    if (e.status === 403) $("resource-body").textContent = "This token lacks the scope to read " + path + ".";
    else if (e.status === 404) $("resource-body").textContent = path + " is not found here (locally each service has its own port).";
    else if (e.status !== 401) $("resource-body").textContent = "Cannot read " + path + ": " + e.message;
  }
}

async function cancelShown() {
  const id = shownId;
  if (!id || !confirm("Cancel " + id + "?")) return;
  try {
    upsert(await api("/v1/jobs/" + encodeURIComponent(id) + "/cancel", { method: "POST" }), false);
    $("cancel-message").textContent = "Cancel requested; the worker stops and reports it.";
  } catch (e) {
    if (e.status === 403) $("cancel-message").textContent = "This token lacks the jobs:write scope.";
    else if (e.status !== 401) $("cancel-message").textContent = e.message;
  }
}

// ---- live updates ------------------------------------------------------------------------------

function setLive(on) {
  $("live").textContent = on ? "● live" : "○ offline";
  $("live").classList.toggle("on", on);
  $("live").classList.toggle("off", !on);
}

// Reads the stream of every job's changes; reconnects with a growing pause and reloads the list then,
// since the stream does not replay what happened while it was down.
async function follow() {
  let pause = 1000;
  while (token()) {
    feed = new AbortController();
    try {
      const response = await fetch("/v1/jobs/events", {
        headers: { Authorization: "Bearer " + token(), Accept: "text/event-stream" },
        signal: feed.signal,
      });
      if (response.status === 401) { signOut("The token was refused (expired?). Paste a new one."); return; }
      if (!response.ok) throw new Error("HTTP " + response.status);
      setLive(true);
      pause = 1000;
      await readEvents(response.body, (type, data) => { if (type === "job") upsert(JSON.parse(data), true); });
    } catch (e) {
      if (feed.signal.aborted) return;
    }
    setLive(false);
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 30000);
    if (token()) reload();
  }
}

async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, "");
      let type = "message";
      const data = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") type = text;
        else if (field === "data") data.push(text);
      }
      if (data.length) onEvent(type, data.join("\n"));
    }
  }
}

// ---- formatting --------------------------------------------------------------------------------

const COUNT = new Intl.NumberFormat("en-US");

function count(n) {
  return COUNT.format(n);
}

function bytes(n) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + " " + units[i];
}

function duration(seconds) {
  const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
  return h ? `${h}h ${m}m` : m ? `${m}m ${s}s` : `${s}s`;
}

function time(iso) {
  return iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : null;
}

// ---- wiring ------------------------------------------------------------------------------------

document.addEventListener("DOMContentLoaded", () => {
  $("login-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const pasted = $("token").value.trim().replace(/^Bearer\s+/i, "");
    if (!pasted) return;
    sessionStorage.setItem(TOKEN_KEY, pasted);
    $("token").value = "";
    start();
  });
  $("forget-token").addEventListener("click", () => signOut(null));
  $("filters").addEventListener("change", () => { writeFiltersToHash(); reload(); });
  $("filters").addEventListener("submit", (event) => { event.preventDefault(); writeFiltersToHash(); reload(); });
  $("filter-clear").addEventListener("click", () => {
    for (const [, input] of FILTERS) $(input).value = "";
    writeFiltersToHash();
    reload();
  });
  $("cancel-job").addEventListener("click", cancelShown);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && shownId) location.hash = listHash;
  });
  window.addEventListener("hashchange", () => { if (token()) route(); });
  setInterval(() => { if (token() && !$("jobs").hidden) reload(); }, RELOAD_EVERY_MS);
  // Running jobs' durations move on between events.
  setInterval(() => {
    for (const tr of $("job-rows").rows) {
      const job = jobs.get(tr.dataset.jobId);
      if (job && !FINAL.has(job.state)) tr.cells[7].textContent = jobDuration(job);
    }
  }, 1000);
  if (token()) start(); else showLogin(null);
});
