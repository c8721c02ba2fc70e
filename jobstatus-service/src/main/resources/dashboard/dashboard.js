// The operator dashboard: a static page whose every data call carries the pasted bearer token.
// Live updates come from GET /v1/jobs/events read with fetch() (EventSource cannot send headers).
"use strict";

const TOKEN_KEY = "cloudconnector.jobstatus.token";
const FINAL = new Set(["succeeded", "failed", "cancelled"]);
const LIST_LIMIT = 100;
// A safety net for changes this page's stream cannot see (a job handled by another task of the service).
const RELOAD_EVERY_MS = 30000;

const $ = (id) => document.getElementById(id);
const jobs = new Map(); // id -> newest job seen
let selectedId = null;
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
  $("forget-token").hidden = true;
  $("login-error").hidden = !message;
  $("login-error").textContent = message || "";
  setLive(false);
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  if (feed) feed.abort();
  showLogin(message);
}

function start() {
  $("login").hidden = true;
  $("jobs").hidden = false;
  $("forget-token").hidden = false;
  readFiltersFromHash();
  reload();
  follow();
}

// ---- the list ----------------------------------------------------------------------------------

function filters() {
  return { state: $("filter-state").value, kind: $("filter-kind").value };
}

function matches(job) {
  const f = filters();
  return (!f.state || job.state === f.state) && (!f.kind || job.kind === f.kind);
}

function readFiltersFromHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  $("filter-state").value = params.get("state") || "";
  $("filter-kind").value = params.get("kind") || "";
}

async function reload() {
  const f = filters();
  const query = new URLSearchParams({ limit: LIST_LIMIT });
  if (f.state) query.set("state", f.state);
  if (f.kind) query.set("kind", f.kind);
  try {
    const page = await api("/v1/jobs?" + query);
    $("error").hidden = true;
    $("job-rows").replaceChildren();
    page.items.forEach((job) => upsert(job, false));
    const n = page.items.length;
    $("count").textContent = n + (page.nextPageToken ? "+" : "") + (n === 1 && !page.nextPageToken ? " job" : " jobs");
    updateEmpty();
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

// Shows the newest version of a job; an older one (from a list read or a late event) never replaces it.
function upsert(job, fromStream) {
  const known = jobs.get(job.id);
  if (known && known.version > job.version) job = known;
  jobs.set(job.id, job);
  let row = document.querySelector(`tr[data-job-id="${CSS.escape(job.id)}"]`);
  if (!matches(job)) {
    if (row) row.remove();
  } else {
    if (!row) {
      row = newRow(job.id);
      if (fromStream) $("job-rows").prepend(row); else $("job-rows").append(row);
    }
    fillRow(row, job);
  }
  if (selectedId === job.id) renderDetail(job);
  updateEmpty();
}

function newRow(id) {
  const row = document.createElement("tr");
  row.dataset.jobId = id;
  for (let i = 0; i < 7; i++) row.append(document.createElement("td"));
  const bar = document.createElement("progress");
  bar.max = 100;
  const label = document.createElement("span");
  label.className = "progress-label";
  row.cells[3].append(bar, " ", label);
  row.addEventListener("click", () => select(id));
  return row;
}

function fillRow(row, job) {
  const p = job.progress || {};
  row.dataset.state = job.state;
  row.dataset.percent = percentOf(job);
  row.cells[0].textContent = job.id;
  row.cells[1].textContent = job.kind;
  row.cells[2].replaceChildren(stateBadge(job.state));
  const bar = row.cells[3].querySelector("progress");
  const value = percentOf(job);
  if (value === "") bar.removeAttribute("value"); else bar.value = Number(value);
  row.cells[3].querySelector(".progress-label").textContent = progressText(job);
  row.cells[4].textContent = p.bytesPerSecond != null ? bytes(p.bytesPerSecond) + "/s" : "";
  row.cells[5].textContent = p.etaSeconds != null && !FINAL.has(job.state) ? duration(p.etaSeconds) : "";
  row.cells[6].textContent = time(job.createdAt);
  row.classList.toggle("selected", selectedId === job.id);
}

function percentOf(job) {
  if (job.state === "succeeded") return "100";
  const p = job.progress;
  return p && p.percent != null ? String(p.percent) : "";
}

function progressText(job) {
  const p = job.progress;
  if (!p) return FINAL.has(job.state) ? "" : "waiting";
  const pct = percentOf(job);
  const of = p.bytesTotal != null ? " of " + bytes(p.bytesTotal) : "";
  return (pct !== "" ? pct + "% · " : "") + bytes(p.bytesDone) + of;
}

function stateBadge(state) {
  const badge = document.createElement("span");
  badge.className = "state state-" + state;
  badge.textContent = state;
  return badge;
}

// ---- the detail view ---------------------------------------------------------------------------

async function select(id) {
  selectedId = id;
  document.querySelectorAll("#job-rows tr").forEach((r) => r.classList.toggle("selected", r.dataset.jobId === id));
  $("cancel-message").textContent = "";
  try {
    upsert(await api("/v1/jobs/" + encodeURIComponent(id)), false);
  } catch (e) {
    if (e.status !== 401) showError("Cannot read " + id + ": " + e.message);
  }
}

function renderDetail(job) {
  $("detail").hidden = false;
  $("detail").dataset.jobId = job.id;
  $("detail").dataset.state = job.state;
  $("detail-title").textContent = job.id;
  const fields = [
    ["Kind", job.kind], ["State", job.state], ["Progress", progressText(job)],
    ["Rate", job.progress && job.progress.bytesPerSecond != null ? bytes(job.progress.bytesPerSecond) + "/s" : null],
    ["ETA", job.progress && job.progress.etaSeconds != null && !FINAL.has(job.state) ? duration(job.progress.etaSeconds) : null],
    ["Vault", job.vaultId], ["Asset", job.assetId], ["Recovery point", job.recoveryPointId],
    ["Created", time(job.createdAt)], ["Started", time(job.startedAt)], ["Finished", time(job.finishedAt)],
    ["Cancel requested", time(job.cancelRequestedAt)],
    ["Error", job.error ? job.error.code + ": " + job.error.message : null],
  ];
  for (const [name, value] of Object.entries(job.result || {})) fields.push(["Result " + name, value]);
  const list = $("detail-fields");
  list.replaceChildren();
  for (const [name, value] of fields) {
    if (value == null || value === "") continue;
    const dt = document.createElement("dt");
    dt.textContent = name;
    const dd = document.createElement("dd");
    dd.textContent = value;
    list.append(dt, dd);
  }
  const log = $("detail-log");
  log.replaceChildren();
  for (const entry of job.eventLog || []) {
    const row = log.insertRow();
    row.insertCell().textContent = time(entry.time);
    row.insertCell().textContent = entry.type;
    row.insertCell().textContent = entry.detail || "";
  }
  $("cancel-job").hidden = FINAL.has(job.state) || !!job.cancelRequestedAt;
}

async function cancelSelected() {
  const id = selectedId;
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
  $("live").textContent = on ? "live" : "offline";
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
  $("filters").addEventListener("change", () => {
    const f = filters();
    history.replaceState(null, "", "#" + new URLSearchParams(Object.entries(f).filter(([, v]) => v)));
    reload();
  });
  $("detail-close").addEventListener("click", () => { selectedId = null; $("detail").hidden = true; });
  $("cancel-job").addEventListener("click", cancelSelected);
  setInterval(() => { if (token() && !$("jobs").hidden) reload(); }, RELOAD_EVERY_MS);
  if (token()) start(); else showLogin(null);
});
