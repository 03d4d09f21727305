//===- HtmlReporter.cpp - One self-contained HTML page --------------------===//
//
// The page is static HTML plus two scripts and a JSON data block:
//
//   <script type="application/json" id="lockgraph-data">  the graph, findings
//   <script>  layout (strongly connected components in rings, the condensed
//             DAG in left-to-right layers), inline SVG, the evidence panel
//
// Nothing is fetched: a Content-Security-Policy of default-src 'none' forbids
// it, and the page references no URL. Data never goes through an HTML parser:
// the JSON is embedded with '<', '>' and '&' escaped as \u003c, \u003e and
// \u0026 (so a lock named "</script>" cannot end the block), and the script
// builds every element with textContent/setAttribute, never innerHTML.
//
// When the page is opened with "#selftest" the script clicks the first cycle
// edge and the first cycle finding and checks that the evidence panel filled.
// Status for headless tests is written onto <body>:
//   data-lockgraph-status="ok" | "error: ..."   (stays "loading" if no script ran)
//   data-cycle-edges, data-locks-drawn, data-edges-drawn, data-selftest
//
//===----------------------------------------------------------------------===//
#include "lockgraph/core/Reporters.h"
#include "lockgraph/core/Deadlocks.h"
#include "JsonForm.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>

namespace lockgraph {

namespace {

using json = nlohmann::ordered_json;

/// Above this many locks only the locks on reported cycles are drawn (and
/// embedded): a ring or a column of thousands of boxes helps nobody.
constexpr size_t MaxLocksDrawn = 200;


/// A frame for the page: the graph file's form, but with the module offset
/// as a hex string, as JavaScript numbers lose precision above 2^53.
json frameJson(const Frame &F) {
  json J = frameToJson(F);
  if (!F.Module.empty())
    J["offset"] = fmt::format("0x{:x}", F.Offset);
  return J;
}

json stackJson(const Stack &S) {
  json J = json::array();
  for (const Frame &F : S)
    J.push_back(frameJson(F));
  return J;
}

bool isReportedCycle(const Finding &F) {
  return isCycleCheck(F.Check) && F.SuppressedBy.empty() && F.Locks.size() >= 2;
}

/// JSON that is safe inside <script type="application/json">: '<', '>' and
/// '&' only ever occur inside JSON strings, where \uXXXX means the same.
std::string scriptSafeJson(const json &J) {
  std::string S = J.dump(1, ' ', /*ensure_ascii=*/false, json::error_handler_t::replace);
  std::string Out;
  Out.reserve(S.size() + S.size() / 16);
  for (char C : S) {
    switch (C) {
    case '<':
      Out += "\\u003c";
      break;
    case '>':
      Out += "\\u003e";
      break;
    case '&':
      Out += "\\u0026";
      break;
    default:
      Out += C;
    }
  }
  return Out;
}

json pageData(const LockGraph &G, const std::vector<Finding> &Findings,
              const ReportOptions &Opts) {
  // Which findings are listed, and which edges their cycles use.
  std::vector<const Finding *> Listed;
  std::set<std::pair<std::string, std::string>> CycleEdges;
  std::set<std::string> CycleLocks;
  for (const Finding &F : Findings) {
    if (!F.SuppressedBy.empty() && !Opts.ShowSuppressed)
      continue;
    Listed.push_back(&F);
    if (!isReportedCycle(F))
      continue;
    for (size_t I = 0; I < F.Locks.size(); ++I) {
      CycleEdges.emplace(F.Locks[I], F.Locks[(I + 1) % F.Locks.size()]);
      CycleLocks.insert(F.Locks[I]);
    }
  }

  // Locks drawn: all of them, or for a large graph those on reported cycles.
  bool Limited = G.locks().size() > MaxLocksDrawn;
  std::vector<LockId> Drawn;
  std::map<LockId, size_t> DrawnIndex;
  for (LockId L = 0; L < G.locks().size(); ++L) {
    if (Limited && !CycleLocks.count(G.lock(L).Name))
      continue;
    DrawnIndex[L] = Drawn.size();
    Drawn.push_back(L);
  }

  json Locks = json::array();
  for (LockId L : Drawn) {
    const Lock &Lk = G.lock(L);
    json J = {{"name", Lk.Name},
              {"kind", std::string(toString(Lk.Kind))},
              {"on_cycle", CycleLocks.count(Lk.Name) != 0}};
    if (Lk.DeclaredAt.hasSource() || !Lk.DeclaredAt.Function.empty())
      J["declared"] = frameJson(Lk.DeclaredAt);
    Locks.push_back(std::move(J));
  }

  json Edges = json::array();
  std::map<std::pair<std::string, std::string>, size_t> EdgeIndex;
  size_t EdgesTotal = G.edges().size();
  for (const Edge &E : G.edges()) {
    auto From = DrawnIndex.find(E.From), To = DrawnIndex.find(E.To);
    if (From == DrawnIndex.end() || To == DrawnIndex.end())
      continue;
    const std::string &FromName = G.lock(E.From).Name, &ToName = G.lock(E.To).Name;
    json Evidence = json::array();
    for (const EdgeEvidence &Ev : E.Evidence) {
      json OtherHeld = json::array();
      for (LockId O : Ev.OtherHeld)
        if (O < G.locks().size())
          OtherHeld.push_back(G.lock(O).Name);
      json Thread = nullptr;
      if (Ev.Thread != NoThread && Ev.Thread < G.threads().size())
        Thread = G.threads()[Ev.Thread];
      Evidence.push_back({{"thread", std::move(Thread)},
                          {"count", Ev.Count},
                          {"from_mode", std::string(toString(Ev.FromMode))},
                          {"to_mode", std::string(toString(Ev.ToMode))},
                          {"try", Ev.TryAcquire},
                          {"held_since_wait", Ev.HeldSinceWait},
                          {"joined_thread_done", Ev.JoinedThreadDone},
                          {"other_held", std::move(OtherHeld)},
                          {"origin", Ev.Origin},
                          {"held_at", stackJson(Ev.HeldAt)},
                          {"acquired_at", stackJson(Ev.AcquiredAt)}});
    }
    EdgeIndex[{FromName, ToName}] = Edges.size();
    Edges.push_back({{"from", From->second},
                     {"to", To->second},
                     {"count", E.totalCount()},
                     {"cycle", CycleEdges.count({FromName, ToName}) != 0},
                     {"evidence", std::move(Evidence)}});
  }

  json JFindings = json::array();
  for (const Finding *F : Listed) {
    json Notes = json::array();
    for (const FindingNote &N : F->Notes)
      Notes.push_back({{"location", frameJson(N.Where)}, {"message", N.Message}});
    // The drawn edges of a cycle, in cycle order.
    json FEdges = json::array();
    if (isCycleCheck(F->Check) && F->Locks.size() >= 2) {
      for (size_t I = 0; I < F->Locks.size(); ++I) {
        auto It = EdgeIndex.find({F->Locks[I], F->Locks[(I + 1) % F->Locks.size()]});
        if (It != EdgeIndex.end())
          FEdges.push_back(It->second);
      }
    }
    json J = {{"check", F->Check},
              {"severity", F->Level == Severity::Error ? "error" : "warning"},
              {"message", F->Message},
              {"location", frameJson(F->Location)},
              {"locks", F->Locks},
              {"cycle", isReportedCycle(*F)},
              {"edges", std::move(FEdges)},
              {"origin", F->Origin},
              {"notes", std::move(Notes)},
              {"fingerprint", fingerprint(*F)}};
    if (!F->SuppressedBy.empty())
      J["suppressed_by"] = F->SuppressedBy;
    JFindings.push_back(std::move(J));
  }

  size_t NotListed = Findings.size() - Listed.size();
  return {{"format", "lockgraph-html-data"},
          {"version", 1},
          {"tool", {{"name", "lockgraph"}, {"version", Opts.ToolVersion}}},
          {"graph",
           {{"locks_total", G.locks().size()},
            {"edges_total", EdgesTotal},
            {"limited", Limited},
            {"limit", MaxLocksDrawn},
            {"suppressed_not_listed", NotListed}}},
          {"locks", std::move(Locks)},
          {"edges", std::move(Edges)},
          {"findings", std::move(JFindings)},
          {"notes", Opts.Notes}};
}

// The page around the data. Nothing below may contain a URL: the test
// checks that the page has no "http://" or "https://" at all.
constexpr std::string_view PageHead = R"HTML(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="lockgraph">
<title>lockgraph report</title>
<style>
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --soft: #f6f8fa;
        --red: #cf222e; --redsoft: #ffebe9; --blue: #0969da; --bluesoft: #ddf4ff; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
       background: var(--bg); display: grid; grid-template-columns: minmax(0, 1fr) minmax(320px, 36%);
       grid-template-rows: auto 1fr; min-height: 100vh; }
header { grid-column: 1 / 3; padding: 10px 18px; border-bottom: 1px solid var(--line); background: var(--soft); }
header h1 { font-size: 18px; margin: 0; }
header p { margin: 2px 0 0; color: var(--muted); }
main { padding: 8px 18px 24px; min-width: 0; }
aside { border-left: 1px solid var(--line); padding: 8px 16px 24px; background: var(--bg);
        position: sticky; top: 0; max-height: 100vh; overflow: auto; }
h2 { font-size: 15px; margin: 12px 0 6px; }
h3 { font-size: 14px; margin: 10px 0 4px; font-family: ui-monospace, "DejaVu Sans Mono", monospace; overflow-wrap: anywhere; }
h4 { font-size: 13px; margin: 10px 0 4px; }
.note { color: var(--muted); margin: 4px 0; }
.hint { color: var(--muted); }
#graph-wrap { overflow: auto; max-height: 62vh; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
#graph { display: block; }
#graph .node rect { fill: var(--soft); stroke: #818b98; stroke-width: 1.2; }
#graph .node.cycle rect { fill: var(--redsoft); stroke: var(--red); stroke-width: 1.6; }
#graph .node.selected rect { stroke: var(--blue); stroke-width: 2.5; }
#graph .node text { font: 13px ui-monospace, "DejaVu Sans Mono", monospace; fill: var(--fg); dominant-baseline: central; text-anchor: middle; }
#graph .node { cursor: pointer; }
#graph .edge { cursor: pointer; }
#graph .edge .line { fill: none; stroke: #8c959f; stroke-width: 1.5; }
#graph .edge.cycle .line { stroke: var(--red); stroke-width: 2.6; }
#graph .edge.selected .line { stroke: var(--blue); stroke-width: 3.4; }
#graph .edge .hit { fill: none; stroke: transparent; stroke-width: 14; }
#graph .edge:hover .line, #graph .edge:focus .line { stroke-width: 3.6; }
#graph .edge text { font: 11px system-ui, sans-serif; fill: var(--muted); text-anchor: middle; dominant-baseline: central;
                    paint-order: stroke; stroke: #fff; stroke-width: 3px; }
#graph .edge.cycle text { fill: var(--red); font-weight: 600; }
#graph :focus { outline: none; }
#graph text.caption { font: 12px system-ui, sans-serif; fill: var(--muted); }
#findings { padding-left: 22px; margin: 4px 0; }
#findings li { padding: 6px 8px; border: 1px solid transparent; border-radius: 6px; cursor: pointer; margin-bottom: 4px; }
#findings li:hover, #findings li:focus { background: var(--soft); outline: none; }
#findings li.selected { border-color: var(--blue); background: var(--bluesoft); }
#findings li.cycle .message { color: var(--red); }
#findings li.suppressed { opacity: 0.65; }
.message { font-weight: 600; overflow-wrap: anywhere; }
.check { font: 12px ui-monospace, monospace; color: var(--muted); }
.facts { color: var(--muted); font-size: 13px; overflow-wrap: anywhere; }
.mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 1px 10px; margin: 4px 0; font-size: 13px; }
dl.kv dt { color: var(--muted); }
dl.kv dd { margin: 0; overflow-wrap: anywhere; }
.evidence { border-top: 1px solid var(--line); padding-top: 4px; margin-top: 8px; }
table.stack { border-collapse: collapse; width: 100%; font-size: 12px; margin: 4px 0 8px; }
table.stack caption { text-align: left; font-weight: 600; padding: 2px 0; font-size: 12.5px; overflow-wrap: anywhere; }
table.stack td { border-top: 1px solid var(--line); padding: 2px 6px 2px 0; vertical-align: top;
                 font-family: ui-monospace, "DejaVu Sans Mono", monospace; overflow-wrap: break-word; word-break: break-word; }
table.stack td.n { color: var(--muted); width: 2.2em; }
table.stack .fn { font-weight: 600; }
table.stack .at { color: var(--muted); white-space: pre-wrap; }
ul.notes { padding-left: 18px; margin: 4px 0; font-size: 13px; }
footer { grid-column: 1 / 3; color: var(--muted); font-size: 12px; padding: 6px 18px; border-top: 1px solid var(--line); }
</style>
<script>
// Installed before the main script, so that its syntax errors are reported too.
window.addEventListener('error', function (e) {
  var b = document.body || document.documentElement;
  b.setAttribute('data-lockgraph-status', 'error: ' + e.message + ' (line ' + e.lineno + ')');
});
</script>
</head>
<body data-lockgraph-status="loading">
<header><h1>lockgraph report</h1><p id="summary"></p><p id="run-notes" class="note" hidden></p></header>
<main>
<section id="graph-section">
<h2>Lock graph</h2>
<p class="note">An arrow A &#8594; B means B was acquired while A was held. Edges of reported cycles are red. Click an edge, a lock or a finding for its evidence.</p>
<p id="graph-note" class="note" hidden></p>
<div id="graph-wrap"><svg id="graph" role="img" aria-label="lock order graph" width="0" height="0"><defs>
<marker id="lg-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#8c959f"/></marker>
<marker id="lg-arrow-cycle" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#cf222e"/></marker>
<marker id="lg-arrow-selected" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5.5" markerHeight="5.5" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#0969da"/></marker>
</defs></svg></div>
</section>
<section id="findings-section">
<h2>Findings</h2>
<ol id="findings"></ol>
<p id="findings-note" class="note" hidden></p>
</section>
</main>
<aside id="panel" aria-live="polite">
<h2>Evidence</h2>
<div id="panel-body"><p class="hint">Click an edge of the graph, a lock or a finding to see where the locks were taken: threads, counts, modes and both stacks.</p></div>
</aside>
<footer id="footer"></footer>
<noscript><p>This report draws the graph with JavaScript; the data is in the lockgraph-data block of the page source.</p></noscript>
<script type="application/json" id="lockgraph-data">
)HTML";

constexpr std::string_view PageTail = R"HTML(
</script>
<script>
(function () {
  'use strict';
  const body = document.body;
  const data = JSON.parse(document.getElementById('lockgraph-data').textContent);
  const svg = document.getElementById('graph');
  const SVGNS = svg.namespaceURI; // taken from the page: no namespace URL in the source
  const panelBody = document.getElementById('panel-body');
  const locks = data.locks, edges = data.edges, findings = data.findings;

  // ---- DOM helpers: text goes through textContent only -------------------
  function h(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const k in (attrs || {})) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function s(tag, attrs, text) {
    const e = document.createElementNS(SVGNS, tag);
    for (const k in (attrs || {})) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : (many || one + 's')); }
  function where(f) {
    if (!f || !f.file) return '';
    let r = f.file;
    if (f.line) { r += ':' + f.line; if (f.column) r += ':' + f.column; }
    return r;
  }
  function moduleOffset(f) { return f && f.module ? f.module + '+' + (f.offset || '0x0') : ''; }
  function kv(dl, key, value) { dl.append(h('dt', null, key), h('dd', null, value)); }
  function activate(elem, fn) {
    elem.addEventListener('click', function (ev) { ev.stopPropagation(); fn(); });
    elem.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); fn(); }
    });
  }

  // ---- Layout --------------------------------------------------------------
  // Strongly connected components become rings (a cycle reads as a cycle);
  // the condensed DAG is laid out in left-to-right layers by longest path,
  // with a barycenter pass so that edges run mostly straight.
  const N = locks.length;
  const CHAR_W = 7.9, NODE_H = 28, PAD_X = 12, MAX_LABEL = 40;
  const COL_GAP = 96, CELL_GAP = 34, MARGIN = 24;
  const nodes = locks.map(function (l, i) {
    const text = l.name.length > MAX_LABEL ? l.name.slice(0, MAX_LABEL - 1) + '\u2026' : l.name;
    return { i: i, text: text, w: Math.max(44, text.length * CHAR_W + 2 * PAD_X), h: NODE_H, x: 0, y: 0 };
  });
  const out = nodes.map(function () { return []; });
  const inn = nodes.map(function () { return []; });
  const edgeKey = new Set();
  edges.forEach(function (e) { out[e.from].push(e.to); inn[e.to].push(e.from); edgeKey.add(e.from + '>' + e.to); });

  // Tarjan, iterative. Components come out sinks first.
  const comp = new Array(N).fill(-1);
  let nComp = 0;
  (function () {
    const idx = new Array(N).fill(-1), low = new Array(N).fill(0), on = new Array(N).fill(false);
    const stack = [];
    let counter = 0;
    for (let s0 = 0; s0 < N; s0++) {
      if (idx[s0] !== -1) continue;
      idx[s0] = low[s0] = counter++; stack.push(s0); on[s0] = true;
      const work = [[s0, 0]];
      while (work.length) {
        const top = work[work.length - 1], v = top[0];
        if (top[1] < out[v].length) {
          const w = out[v][top[1]++];
          if (idx[w] === -1) { idx[w] = low[w] = counter++; stack.push(w); on[w] = true; work.push([w, 0]); }
          else if (on[w]) low[v] = Math.min(low[v], idx[w]);
        } else {
          work.pop();
          if (work.length) { const u = work[work.length - 1][0]; low[u] = Math.min(low[u], low[v]); }
          if (low[v] === idx[v]) {
            let w;
            do { w = stack.pop(); on[w] = false; comp[w] = nComp; } while (w !== v);
            nComp++;
          }
        }
      }
    }
  })();

  // Members of each component, in ring order: reported cycles first, in
  // their own order, then following edges.
  const members = [];
  for (let c = 0; c < nComp; c++) members.push([]);
  const placed = new Array(N).fill(false);
  const indexByName = new Map();
  locks.forEach(function (l, i) { indexByName.set(l.name, i); });
  findings.forEach(function (f) {
    if (!f.cycle) return;
    f.locks.forEach(function (name) {
      const i = indexByName.get(name);
      if (i === undefined || placed[i]) return;
      const c = comp[i];
      // Only keep the cycle's order inside a ring it fully belongs to.
      if (!f.locks.every(function (n2) { return comp[indexByName.get(n2)] === c; })) return;
      placed[i] = true; members[c].push(i);
    });
  });
  for (let i = 0; i < N; i++) {
    if (placed[i]) continue;
    const c = comp[i];
    let v = i;
    placed[v] = true; members[c].push(v);
    for (;;) {
      const next = out[v].find(function (w) { return comp[w] === c && !placed[w]; });
      if (next === undefined) break;
      v = next; placed[v] = true; members[c].push(v);
    }
  }

  // Cells: a node, or a ring of nodes around (0, 0).
  function overlaps(ns) {
    for (let a = 0; a < ns.length; a++)
      for (let b = a + 1; b < ns.length; b++)
        if (Math.abs(ns[a].rx - ns[b].rx) < (ns[a].w + ns[b].w) / 2 + 34 &&
            Math.abs(ns[a].ry - ns[b].ry) < (ns[a].h + ns[b].h) / 2 + 30) return true;
    return false;
  }
  const cells = members.map(function (m, c) {
    const ns = m.map(function (i) { return nodes[i]; });
    if (ns.length === 1) {
      ns[0].rx = 0; ns[0].ry = 0;
    } else {
      const k = ns.length;
      const maxW = Math.max.apply(null, ns.map(function (n) { return n.w; }));
      const start = k === 2 ? Math.PI : -Math.PI / 2;
      let rx = Math.max(70, maxW / 2 + 40), ry = Math.max(56, rx * 0.6);
      for (let iter = 0; iter < 80; iter++) {
        ns.forEach(function (n, j) {
          const t = start + 2 * Math.PI * j / k;
          n.rx = rx * Math.cos(t); n.ry = k === 2 ? 0 : ry * Math.sin(t);
        });
        if (!overlaps(ns)) break;
        rx *= 1.12; ry *= 1.12;
      }
    }
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    ns.forEach(function (n) {
      x0 = Math.min(x0, n.rx - n.w / 2); x1 = Math.max(x1, n.rx + n.w / 2);
      y0 = Math.min(y0, n.ry - n.h / 2); y1 = Math.max(y1, n.ry + n.h / 2);
    });
    // Room for the curves of a ring.
    const pad = ns.length > 1 ? 18 : 0;
    return { c: c, ns: ns, x0: x0 - pad, x1: x1 + pad, y0: y0 - pad, y1: y1 + pad,
             w: x1 - x0 + 2 * pad, h: y1 - y0 + 2 * pad, layer: 0, cx: 0, cy: 0 };
  });

  // Longest-path layers; Tarjan numbered components sinks first.
  const succ = cells.map(function () { return new Set(); });
  const pred = cells.map(function () { return new Set(); });
  edges.forEach(function (e) {
    const a = comp[e.from], b = comp[e.to];
    if (a !== b) { succ[a].add(b); pred[b].add(a); }
  });
  for (let c = nComp - 1; c >= 0; c--)
    succ[c].forEach(function (d) { cells[d].layer = Math.max(cells[d].layer, cells[c].layer + 1); });
  // A source sits just before its nearest successor, not in one tall first
  // column with every other source.
  cells.forEach(function (cell) {
    if (pred[cell.c].size || !succ[cell.c].size) return;
    let m = Infinity;
    succ[cell.c].forEach(function (d) { m = Math.min(m, cells[d].layer); });
    cell.layer = m - 1;
  });
  // Locks without any edge go in rows under the graph.
  const isolated = [];
  const layers = [];
  cells.forEach(function (cell) {
    const n0 = cell.ns[0];
    if (cell.ns.length === 1 && !out[n0.i].length && !inn[n0.i].length) { isolated.push(cell); return; }
    (layers[cell.layer] = layers[cell.layer] || []).push(cell);
  });
  // Components in reverse Tarjan order read sources first within a layer.
  layers.forEach(function (L) { L.sort(function (a, b) { return b.c - a.c; }); });

  let x = MARGIN;
  layers.forEach(function (L) {
    const colW = Math.max.apply(null, L.map(function (cell) { return cell.w; }));
    L.forEach(function (cell) {
      let sum = 0, n = 0;
      pred[cell.c].forEach(function (p) { sum += cells[p].midY; n++; });
      cell.bary = n ? sum / n : null;
    });
    if (L.some(function (cell) { return cell.bary !== null; }))
      L.sort(function (a, b) {
        return (a.bary === null ? Infinity : a.bary) - (b.bary === null ? Infinity : b.bary);
      });
    let bottom = -Infinity;
    L.forEach(function (cell) {
      const want = cell.bary === null ? bottom + CELL_GAP : cell.bary - cell.h / 2;
      const top = bottom === -Infinity ? (cell.bary === null ? 0 : want) : Math.max(want, bottom + CELL_GAP);
      // (cx, cy) is the ring's origin; its box is (x0..x1, y0..y1) around it.
      cell.top = top;
      cell.midY = top + cell.h / 2;
      cell.cy = top - cell.y0;
      cell.cx = x + colW / 2 - (cell.x0 + cell.x1) / 2;
      bottom = top + cell.h;
    });
    x += colW + COL_GAP;
  });

  let isolatedCaption = null;
  if (isolated.length) {
    let bottom = -Infinity;
    layers.forEach(function (L) { L.forEach(function (cell) { bottom = Math.max(bottom, cell.top + cell.h); }); });
    const rowWidth = Math.max(x - COL_GAP, 720);
    let cx = MARGIN, y = bottom === -Infinity ? 0 : bottom + 56;
    isolatedCaption = { x: MARGIN, y: y };
    y += 14;
    isolated.forEach(function (cell) {
      if (cx > MARGIN && cx + cell.w > rowWidth) { cx = MARGIN; y += NODE_H + 14; }
      cell.top = y; cell.cy = y - cell.y0; cell.cx = cx - cell.x0;
      cx += cell.w + 18;
    });
  }
  cells.forEach(function (cell) {
    cell.ns.forEach(function (n) { n.x = cell.cx + n.rx; n.y = cell.cy + n.ry; });
  });

  // ---- Edge routes -----------------------------------------------------------
  // An edge is a straight line, or a quadratic curve bent sideways: always
  // for a pair A->B, B->A (the two curves then part), and otherwise only as
  // much as it takes not to run through another lock's box.
  function exitPoint(n, tx, ty) {
    const dx = tx - n.x, dy = ty - n.y;
    if (!dx && !dy) return [n.x, n.y];
    const t = Math.min(dx ? (n.w / 2 + 3) / Math.abs(dx) : Infinity,
                       dy ? (n.h / 2 + 3) / Math.abs(dy) : Infinity);
    return [n.x + dx * t, n.y + dy * t];
  }
  function blocked(px, py, a, b) {
    for (const n of nodes)
      if (n !== a && n !== b && Math.abs(px - n.x) < n.w / 2 + 6 && Math.abs(py - n.y) < n.h / 2 + 6) return true;
    return false;
  }
  function control(a, b, bend) {
    const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
    return [(a.x + b.x) / 2 - dy / len * bend, (a.y + b.y) / 2 + dx / len * bend];
  }
  function clear(a, b, bend) {
    const c = control(a, b, bend);
    for (let t = 0.04; t < 0.97; t += 0.04) {
      const u = 1 - t;
      if (blocked(u * u * a.x + 2 * t * u * c[0] + t * t * b.x, u * u * a.y + 2 * t * u * c[1] + t * t * b.y, a, b))
        return false;
    }
    return true;
  }
  const routes = edges.map(function (e) {
    const a = nodes[e.from], b = nodes[e.to];
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const base = edgeKey.has(e.to + '>' + e.from) ? Math.min(30, len / 4) : 0;
    const tries = base ? [base, base + 30, base + 60, base + 100, base + 150]
                       : [0, 50, -50, 80, -80, 120, -120, 170, -170, 240, -240];
    let bend = tries[0];
    for (const t of tries) if (clear(a, b, t)) { bend = t; break; }
    const c = control(a, b, bend);
    const p0 = bend ? exitPoint(a, c[0], c[1]) : exitPoint(a, b.x, b.y);
    const p1 = bend ? exitPoint(b, c[0], c[1]) : exitPoint(b, a.x, a.y);
    return { bend: bend, p0: p0, p1: p1, c: c,
             lx: bend ? 0.25 * p0[0] + 0.5 * c[0] + 0.25 * p1[0] : (p0[0] + p1[0]) / 2,
             ly: bend ? 0.25 * p0[1] + 0.5 * c[1] + 0.25 * p1[1] : (p0[1] + p1[1]) / 2 };
  });

  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  function extend(x0, y0, x1, y1) {
    minX = Math.min(minX, x0); minY = Math.min(minY, y0); maxX = Math.max(maxX, x1); maxY = Math.max(maxY, y1);
  }
  nodes.forEach(function (n) { extend(n.x - n.w / 2, n.y - n.h / 2, n.x + n.w / 2, n.y + n.h / 2); });
  routes.forEach(function (r) { extend(r.lx - 12, r.ly - 12, r.lx + 12, r.ly + 12); });
  if (isolatedCaption) extend(isolatedCaption.x, isolatedCaption.y - 14, isolatedCaption.x + 200, isolatedCaption.y);
  if (!isFinite(minX)) { minX = minY = 0; maxX = maxY = 0; }
  const shiftX = MARGIN - minX, shiftY = MARGIN - minY;
  const width = Math.ceil(maxX - minX + 2 * MARGIN), height = Math.ceil(maxY - minY + 2 * MARGIN);

  // ---- Drawing -------------------------------------------------------------
  function fmt(v) { return Math.round(v * 10) / 10; }
  function pt(p) { return fmt(p[0]) + ',' + fmt(p[1]); }

  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
  const scene = s('g', { transform: 'translate(' + fmt(shiftX) + ',' + fmt(shiftY) + ')' });
  const edgeLayer = s('g', { class: 'edges' }), nodeLayer = s('g', { class: 'nodes' });
  scene.append(edgeLayer, nodeLayer);
  svg.append(scene);

  if (isolatedCaption)
    scene.append(s('text', { class: 'caption', x: fmt(isolatedCaption.x), y: fmt(isolatedCaption.y) },
                   'Locks without edges (' + isolated.length + ')'));
  const edgeElems = [], nodeElems = [];
  const drawOrder = edges.map(function (e, k) { return k; });
  drawOrder.sort(function (a, b) { return (edges[a].cycle ? 1 : 0) - (edges[b].cycle ? 1 : 0); });
  drawOrder.forEach(function (k) {
    const e = edges[k], r = routes[k];
    const d = 'M' + pt(r.p0) + (r.bend ? ' Q' + pt(r.c) + ' ' : ' L') + pt(r.p1);
    const g = s('g', { class: 'edge' + (e.cycle ? ' cycle' : ''), 'data-edge': String(k), tabindex: '0',
                       'data-from': locks[e.from].name, 'data-to': locks[e.to].name });
    g.append(s('title', null, locks[e.from].name + ' \u2192 ' + locks[e.to].name + ': ' +
                             plural(e.count, 'observation') + (e.cycle ? ', on a reported cycle' : '')));
    g.append(s('path', { class: 'hit', d: d }));
    const line = s('path', { class: 'line', d: d });
    g.line = line;
    g.append(line);
    g.append(s('text', { x: fmt(r.lx), y: fmt(r.ly) }, String(e.count)));
    activate(g, function () { showEdge(k); });
    edgeLayer.append(g);
    edgeElems[k] = g;
  });
  nodes.forEach(function (n, i) {
    const l = locks[i];
    const g = s('g', { class: 'node' + (l.on_cycle ? ' cycle' : ''), 'data-lock': String(i), tabindex: '0' });
    g.append(s('title', null, l.name + ' (' + l.kind + ')' + (l.declared ? ', declared at ' + where(l.declared) : '')));
    g.append(s('rect', { x: fmt(n.x - n.w / 2), y: fmt(n.y - n.h / 2), width: fmt(n.w), height: n.h, rx: 6 }));
    g.append(s('text', { x: fmt(n.x), y: fmt(n.y) }, n.text));
    activate(g, function () { showLock(i); });
    nodeLayer.append(g);
    nodeElems[i] = g;
  });

  // ---- Selection and the evidence panel -----------------------------------
  function markerFor(k, selected) {
    return selected ? 'url(#lg-arrow-selected)' : edges[k].cycle ? 'url(#lg-arrow-cycle)' : 'url(#lg-arrow)';
  }
  const findingElems = [];
  function select(edgeSet, lockIndex, findingIndex) {
    edgeElems.forEach(function (g, k) {
      const on = edgeSet.has(k);
      g.classList.toggle('selected', on);
      g.line.setAttribute('marker-end', markerFor(k, on));
    });
    nodeElems.forEach(function (g, i) { g.classList.toggle('selected', i === lockIndex); });
    findingElems.forEach(function (li, j) { li.classList.toggle('selected', j === findingIndex); });
  }
  edgeElems.forEach(function (g, k) { g.line.setAttribute('marker-end', markerFor(k, false)); });

  function stackTable(caption, frames) {
    const t = h('table', { class: 'stack' });
    t.append(h('caption', null, caption));
    const tb = h('tbody');
    if (!frames.length) {
      const tr = h('tr', { class: 'empty' });
      tr.append(h('td', { class: 'n' }), h('td', null, 'no stack recorded'));
      tb.append(tr);
    }
    frames.forEach(function (f, j) {
      const tr = h('tr', { class: 'frame' });
      const td = h('td');
      td.append(h('div', { class: 'fn' }, f.function || '??'));
      const at = [where(f) || '<unknown>', moduleOffset(f)].filter(Boolean).join('  ');
      td.append(h('div', { class: 'at' }, at));
      tr.append(h('td', { class: 'n' }, '#' + j), td);
      tb.append(tr);
    });
    t.append(tb);
    return t;
  }
  function edgeDetails(k) {
    const e = edges[k], A = locks[e.from].name, B = locks[e.to].name;
    const sec = h('section', { class: 'edge-details', 'data-edge': String(k) });
    sec.append(h('h3', null, A + ' \u2192 ' + B));
    sec.append(h('p', { class: 'facts' },
      "'" + B + "' acquired while holding '" + A + "': " + plural(e.count, 'observation') + ', ' +
      plural(e.evidence.length, 'distinct record') + (e.cycle ? '; on a reported cycle' : '')));
    e.evidence.forEach(function (ev, j) {
      const d = h('div', { class: 'evidence', 'data-evidence': String(j) });
      d.append(h('h4', null, '#' + (j + 1) + ' thread ' + (ev.thread === null ? '(unknown)' : "'" + ev.thread + "'")));
      const dl = h('dl', { class: 'kv' });
      kv(dl, 'thread', ev.thread === null ? 'unknown (static: any thread)' : ev.thread);
      kv(dl, 'count', String(ev.count));
      kv(dl, 'modes', "'" + A + "' held " + ev.from_mode + ", '" + B + "' acquired " + ev.to_mode);
      kv(dl, 'try-acquire', ev.try ? "yes: '" + B + "' was taken by a trylock (cannot block)" : 'no');
      kv(dl, 'origin', ev.origin || 'not recorded');
      if (ev.other_held.length) kv(dl, 'also held', ev.other_held.join(', '));
      d.append(dl);
      d.append(stackTable("held_at: where '" + A + "' was acquired", ev.held_at));
      d.append(stackTable("acquired_at: where '" + B + "' was acquired while holding '" + A + "'", ev.acquired_at));
      sec.append(d);
    });
    return sec;
  }
  function showEdge(k) {
    select(new Set([k]), -1, -1);
    panelBody.replaceChildren(edgeDetails(k));
  }
  function showLock(i) {
    const l = locks[i];
    const related = new Set();
    edges.forEach(function (e, k) { if (e.from === i || e.to === i) related.add(k); });
    select(related, i, -1);
    const sec = h('section', { class: 'lock-details' });
    sec.append(h('h3', null, l.name));
    const dl = h('dl', { class: 'kv' });
    kv(dl, 'kind', l.kind);
    kv(dl, 'declared', l.declared ? (where(l.declared) || l.declared.function || '') : 'not recorded');
    kv(dl, 'on a cycle', l.on_cycle ? 'yes' : 'no');
    sec.append(dl);
    const ul = h('ul', { class: 'notes' });
    related.forEach(function (k) {
      const e = edges[k];
      const li = h('li', { class: 'mono', tabindex: '0' },
                   locks[e.from].name + ' \u2192 ' + locks[e.to].name + ' (' + e.count + ')');
      li.style.cursor = 'pointer';
      activate(li, function () { showEdge(k); });
      ul.append(li);
    });
    if (related.size) { sec.append(h('h4', null, 'Edges (click for evidence)')); sec.append(ul); }
    panelBody.replaceChildren(sec);
  }
  // Scrolls the graph view so that the locks of these edges are in its middle.
  function reveal(edgeList) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    edgeList.forEach(function (k) {
      [edges[k].from, edges[k].to].forEach(function (i) {
        const n = nodes[i];
        x0 = Math.min(x0, n.x - n.w / 2); x1 = Math.max(x1, n.x + n.w / 2);
        y0 = Math.min(y0, n.y - n.h / 2); y1 = Math.max(y1, n.y + n.h / 2);
      });
    });
    if (!isFinite(x0)) return;
    wrap.scrollLeft = Math.max(0, ((x0 + x1) / 2 + shiftX) * scale - wrap.clientWidth / 2);
    wrap.scrollTop = Math.max(0, ((y0 + y1) / 2 + shiftY) * scale - wrap.clientHeight / 2);
  }
  function showFinding(j) {
    const f = findings[j];
    select(new Set(f.edges), -1, j);
    reveal(f.edges);
    const sec = h('section', { class: 'finding-details', 'data-finding': String(j) });
    sec.append(h('h3', null, f.message));
    const dl = h('dl', { class: 'kv' });
    kv(dl, 'check', f.check + ' (' + f.severity + ')');
    kv(dl, 'location', where(f.location) || 'unknown');
    if (f.locks.length) kv(dl, 'locks', f.cycle || (f.check === 'lockgraph-lock-order' || f.check === 'lockgraph-wait-holding-lock')
                                          ? f.locks.concat([f.locks[0]]).join(' \u2192 ') : f.locks.join(', '));
    kv(dl, 'origin', f.origin || 'not recorded');
    if (f.suppressed_by) kv(dl, 'ruled out', f.suppressed_by);
    kv(dl, 'fingerprint', f.fingerprint);
    sec.append(dl);
    if (f.notes.length) {
      const ul = h('ul', { class: 'notes' });
      f.notes.forEach(function (n) {
        const li = h('li');
        const loc = where(n.location);
        if (loc) li.append(h('span', { class: 'mono' }, loc + ': '));
        li.append(document.createTextNode(n.message));
        ul.append(li);
      });
      sec.append(h('h4', null, 'Notes'), ul);
    }
    panelBody.replaceChildren(sec);
    f.edges.forEach(function (k) { panelBody.append(edgeDetails(k)); });
  }

  // ---- Findings list, summary, notes ---------------------------------------
  const list = document.getElementById('findings');
  findings.forEach(function (f, j) {
    const li = h('li', { class: (f.cycle ? 'cycle' : '') + (f.suppressed_by ? ' suppressed' : ''),
                         'data-finding': String(j), tabindex: '0' });
    li.append(h('div', { class: 'message' }, f.message));
    const facts = [];
    if (f.locks.length) facts.push('locks: ' + f.locks.join(', '));
    facts.push('origin: ' + (f.origin || 'not recorded'));
    const loc = where(f.location);
    if (loc) facts.push(loc);
    if (f.suppressed_by) facts.push('ruled out: ' + f.suppressed_by);
    li.append(h('div', { class: 'facts' }, facts.join(' \u00b7 ')));
    li.append(h('div', { class: 'check' }, f.check));
    activate(li, function () { showFinding(j); });
    list.append(li);
    findingElems[j] = li;
  });
  if (!findings.length) {
    const note = document.getElementById('findings-note');
    note.hidden = false;
    note.textContent = 'No findings: every lock order in this graph is consistent.';
  }
  if (data.graph.suppressed_not_listed) {
    const note = document.getElementById('findings-note');
    note.hidden = false;
    note.textContent = plural(data.graph.suppressed_not_listed, 'more finding was', 'more findings were') +
                       ' ruled out by filters (--show-suppressed lists them).';
  }

  const cycleEdgesDrawn = edges.filter(function (e) { return e.cycle; }).length;
  const reported = findings.filter(function (f) { return !f.suppressed_by; }).length;
  document.getElementById('summary').textContent =
    plural(reported, 'finding') + ' \u00b7 ' + plural(data.graph.locks_total, 'lock') + ', ' +
    plural(data.graph.edges_total, 'edge') + ' \u00b7 ' + plural(cycleEdgesDrawn, 'edge') + ' on reported cycles';
  if (data.notes && data.notes.length) {
    const runNotes = document.getElementById('run-notes');
    runNotes.hidden = false;
    runNotes.textContent = 'Note: ' + data.notes.join(' ');
  }
  const graphNote = document.getElementById('graph-note');
  if (data.graph.limited) {
    graphNote.hidden = false;
    graphNote.textContent = 'This graph has ' + plural(data.graph.locks_total, 'lock') + ' and ' +
      plural(data.graph.edges_total, 'edge') + ', more than ' + data.graph.limit +
      ' locks: only the ' + plural(N, 'lock') + ' on reported cycles and the ' +
      plural(edges.length, 'edge') + ' between them are drawn.';
  } else if (!N) {
    graphNote.hidden = false;
    graphNote.textContent = 'The lock graph is empty.';
  }
  document.getElementById('footer').textContent =
    'Generated by ' + data.tool.name + ' ' + data.tool.version + '. Self-contained: this page loads nothing from the network.';

  // A graph somewhat wider than the view is scaled down (to 75% at most, so
  // labels stay legible); beyond that the view scrolls, to the first cycle.
  const wrap = document.getElementById('graph-wrap');
  let scale = 1;
  const avail = wrap.clientWidth - 2;
  if (avail > 0 && width > avail) {
    scale = Math.max(0.75, avail / width);
    svg.setAttribute('width', String(Math.floor(width * scale)));
    svg.setAttribute('height', String(Math.floor(height * scale)));
  }
  const firstCycle = findings.find(function (f) { return f.cycle && f.edges.length; });
  if (firstCycle) reveal(firstCycle.edges);

  body.setAttribute('data-cycle-edges', String(cycleEdgesDrawn));
  body.setAttribute('data-locks-drawn', String(N));
  body.setAttribute('data-edges-drawn', String(edges.length));
  if (body.getAttribute('data-lockgraph-status') === 'loading')
    body.setAttribute('data-lockgraph-status', 'ok');

  // ---- Self-test (#selftest): the click paths fill the panel ---------------
  function selfTest() {
    const problems = [];
    const click = function (elem) { elem.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true })); };
    const fli = list.querySelector('li.cycle');
    let findingInfo = 'none';
    if (fli) {
      click(fli);
      const f = findings[+fli.getAttribute('data-finding')];
      const sel = svg.querySelectorAll('g.edge.selected').length;
      const shown = panelBody.querySelectorAll('.edge-details').length;
      if (!fli.classList.contains('selected')) problems.push('finding not selected');
      if (sel !== f.edges.length || shown !== f.edges.length)
        problems.push('finding shows ' + shown + ' edges, selects ' + sel + ', expected ' + f.edges.length);
      findingInfo = String(shown);
    }
    // The first edge of the first cycle (the one in view), else any edge.
    const g = firstCycle ? edgeElems[firstCycle.edges[0]] : svg.querySelector('g.edge');
    let edgeInfo = 'none';
    if (g) {
      click(g);
      const e = edges[+g.getAttribute('data-edge')];
      const shown = panelBody.querySelectorAll('.evidence').length;
      const frames = panelBody.querySelectorAll('table.stack tr.frame').length;
      const title = panelBody.querySelector('h3');
      if (!g.classList.contains('selected')) problems.push('edge not selected');
      if (!shown || shown !== e.evidence.length) problems.push('evidence ' + shown + ' of ' + e.evidence.length);
      if (!title || title.textContent !== locks[e.from].name + ' \u2192 ' + locks[e.to].name) problems.push('wrong panel title');
      edgeInfo = (g.classList.contains('cycle') ? 'cycle' : 'plain') + ' evidence=' + shown + ' frames=' + frames;
    }
    body.setAttribute('data-selftest', problems.length ? 'fail: ' + problems.join('; ')
                                                       : 'ok edge=' + edgeInfo + ' finding-edges=' + findingInfo);
  }
  if (location.hash === '#selftest') selfTest();
})();
</script>
</body>
</html>
)HTML";

} // namespace

std::string renderHtml(const LockGraph &G, const std::vector<Finding> &Findings,
                       const ReportOptions &Opts) {
  std::string Out(PageHead);
  Out += scriptSafeJson(pageData(G, Findings, Opts));
  Out += PageTail;
  return Out;
}

} // namespace lockgraph
